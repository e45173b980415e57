package io.andock.snapshot;

import io.andock.AndockException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Applies one uncompressed layer tar onto a rootfs directory: a pure function of (directory, stream), with OCI
 * whiteouts. The rootfs is trusted to be private to the caller while the layer is applied; the archive is not.
 *
 * <h2>Path rules</h2>
 * <ul>
 *   <li>Every entry name is resolved as a process chrooted into the rootfs would: symlinks on the way (absolute or
 *       relative, from this layer or earlier ones) are followed <em>inside</em> the rootfs, {@code ..} in a symlink
 *       target stops at the root. The last component is never followed: an existing file, symlink or directory
 *       there is replaced (unlinked, then created; nothing is ever opened for writing), except that a directory
 *       entry keeps an existing directory.</li>
 *   <li><b>Absolute names are clamped</b>: {@code /etc/x} is {@code etc/x} in the rootfs (as Docker does).</li>
 *   <li><b>{@code ..} escapes are refused</b>: a name whose {@code ..} climbs above the root (lexically, such as
 *       {@code ../../x} or {@code a/../../x}) fails the layer with CORRUPT naming the entry. {@code ..} that stays
 *       inside ({@code a/../b}) is allowed.</li>
 *   <li>A hardlink target is resolved the same way (last component not followed) and must already exist in the
 *       rootfs and not be a directory; otherwise the layer is refused. Whiteouts naming {@code .}, {@code ..}
 *       ({@code .wh..}, {@code .wh...}), names with NUL bytes, and names longer than PATH_MAX are refused.</li>
 * </ul>
 * Nothing outside the rootfs is ever written or deleted. An error leaves the rootfs partly applied: callers apply
 * into a temporary directory and throw it away on failure (as {@link FlatSnapshotter} does).
 *
 * <h2>Metadata</h2>
 * Modes with setuid/setgid/sticky; owners when {@link ApplyOptions#privileged()} (else recorded in
 * {@link ApplyResult#ownership()}); mtimes of everything including symlinks, directories' at the end; read-only
 * directories receive their children first and their mode last; {@code user.*} xattrs are set, others recorded in
 * {@link ApplyResult#xattrsNotApplied()}. Hardlinks fall back to copies when {@code link()} is refused (Android app
 * storage: EACCES), counted in {@link ApplyResult#hardlinkCopies()}. Fifos are made with the {@code mkfifo}
 * command, device nodes with {@code mknod} only when privileged; otherwise they are skipped with a warning.
 *
 * <p>Thread-safe (no shared state); one call per rootfs at a time.
 */
public final class LayerApplier {

    /** The {@code link(2)} call, replaceable in tests to imitate filesystems that refuse hardlinks. */
    interface Linker {
        void link(Path link, Path existing) throws IOException;
    }

    private final ApplyOptions options;
    private final Linker linker;

    public LayerApplier(ApplyOptions options) {
        this(options, Files::createLink);
    }

    LayerApplier(ApplyOptions options, Linker linker) {
        this.options = options;
        this.linker = linker;
    }

    /**
     * Applies the uncompressed tar {@code tar} onto {@code rootfs} (an existing directory), reading {@code tar} to its
     * end (not closing it).
     *
     * @return the diff_id of everything read, and what was done
     * @throws AndockException CORRUPT for an unsafe, invalid, truncated or too large archive (message names the
     *                         entry); UNAVAILABLE for I/O errors
     */
    public ApplyResult apply(InputStream tar, Path rootfs) {
        return run(tar, rootfs, Placement.LAYER, "layer");
    }

    /**
     * Extracts a plain archive ({@code docker cp}, not a layer) into {@code dir}, a directory below {@code rootfs}
     * reached without symlinks (as {@link ChrootPaths#locate} gives it). The path rules above hold with {@code dir} in
     * place of the root for names ({@code ..} may not leave it, absolute names and hardlink targets are taken below
     * it) while symlinks met on the way are still followed within {@code rootfs}: nothing is written outside it.
     * Whiteouts are ordinary files; an existing directory is never replaced by a non-directory nor the reverse.
     * Owners are 0:0 unless {@code keepOwners}. The rootfs must not change under the call (pause its container).
     *
     * @throws AndockException CORRUPT for an unsafe, invalid or truncated archive (message names the entry)
     */
    public ApplyResult extract(InputStream tar, Path rootfs, Path dir, boolean keepOwners) {
        Path root = realRoot(rootfs);
        Path rel;
        try {
            rel = root.relativize(dir.toRealPath());
        } catch (IOException e) {
            throw AndockException.wrap("extraction directory", e);
        }
        if (rel.startsWith("..")) throw AndockException.invalid("extraction directory " + dir + " is outside " + rootfs);
        List<String> base = new ArrayList<>();
        for (Path c : rel) if (!c.toString().isEmpty()) base.add(c.toString());
        return run(tar, root, new Placement(base, true, keepOwners), "archive");
    }

    private static Path realRoot(Path rootfs) {
        try {
            Path root = rootfs.toRealPath();
            if (!Files.isDirectory(root)) throw AndockException.invalid("rootfs " + rootfs + " is not a directory");
            return root;
        } catch (IOException e) {
            throw AndockException.wrap("rootfs " + rootfs, e);
        }
    }

    private ApplyResult run(InputStream tar, Path rootfs, Placement placement, String what) {
        Path root = realRoot(rootfs);
        try {
            return new ApplySession(root, options, ProcessIdentity.CURRENT, linker, placement).run(tar);
        } catch (ZipException | EOFException e) {
            throw new AndockException(AndockException.Kind.CORRUPT, what + " stream is corrupt: " + e.getMessage(), e);
        } catch (IOException e) {
            throw AndockException.wrap("apply " + what, e);
        } catch (RuntimeException e) {
            if (e instanceof AndockException) throw e;
            if (e.getClass().getName().startsWith("io.airlift.compress")) {
                throw new AndockException(AndockException.Kind.CORRUPT, what + " stream is corrupt: " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
