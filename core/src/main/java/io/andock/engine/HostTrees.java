package io.andock.engine;

import io.andock.image.MediaTypes;
import io.andock.os.FileTrees;
import io.andock.snapshot.ApplyOptions;
import io.andock.snapshot.Decompression;
import io.andock.snapshot.LayerApplier;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Directories on the host that a front end fills from a tar someone else made — {@code docker cp}'s client side, a
 * build context sent to the daemon — under the layer applier's rules: nothing lands outside the directory, no device
 * nodes, no owners changed (the caller owns what it gets, as Docker's client extracts with NoLchown), sizes bounded.
 */
public final class HostTrees {
    private HostTrees() {
    }

    /** Extracts {@code tar} (plain) into the existing directory {@code dir}. CORRUPT for a bad archive. */
    public static void extract(InputStream tar, Path dir) {
        new LayerApplier(ApplyOptions.defaults().withPrivileged(false)).extract(tar, dir, dir, true);
    }

    /**
     * Unpacks a build context ({@code tar}, plain or compressed) into {@code dir}; then reads and drops what follows
     * the end-of-archive blocks, up to {@code maxTrailing} bytes, so a client that sent padding sees its answer.
     * CORRUPT for a bad archive.
     */
    public static void unpackContext(InputStream body, Path dir, long maxTrailing) throws IOException {
        try (InputStream in = Decompression.open(body, MediaTypes.Compression.DETECT)) {
            new LayerApplier(ApplyOptions.defaults().withPrivileged(false)).apply(in, dir);
            long drained = 0;
            while (drained < maxTrailing) {
                long n = in.skip(maxTrailing);
                if (n <= 0 && in.read() < 0) break;
                drained += Math.max(n, 1);
            }
        }
    }

    /** A fresh directory under {@code tmp} that the next engine start removes if a kill -9 cuts its owner short. */
    public static Path scratchDir(Path tmp, String what) throws IOException {
        return Leftovers.scratchDir(tmp, what);
    }

    /** Removes {@code dir} and everything under it, following no symlink. */
    public static void delete(Path dir) throws IOException {
        FileTrees.deleteTree(dir);
    }
}
