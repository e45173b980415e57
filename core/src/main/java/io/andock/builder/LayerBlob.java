package io.andock.builder;

import io.airlift.compress.zstd.ZstdOutputStream;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.tar.TarWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the diff of a step as a compressed layer file: the tar goes through a sha256 (the diff_id) into the
 * compressor and a file; the caller stores the file in the content store (whose digest is of the compressed
 * bytes). gzip by default, zstd on request.
 */
final class LayerBlob {

    /** A written layer: the compressed file, its media type and the diff_id of the tar inside. */
    record Written(Path file, String mediaType, Digest diffId) {
    }

    private LayerBlob() {
    }

    static Written write(LayerDiff diff, Map<String, Boolean> changes, TreeState after, Path root, Path file,
                         BuildRequest.Compression compression) throws IOException {
        MessageDigest md = Digest.sha256Digester();
        try (OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             OutputStream compressed = compressor(fileOut, compression);
             DigestOutputStream tarOut = new DigestOutputStream(compressed, md)) {
            TarWriter tar = new TarWriter(tarOut);
            diff.write(changes, after, root, tar);
            tar.finish();
        }
        String mt = compression == BuildRequest.Compression.ZSTD ? MediaTypes.OCI_LAYER_ZSTD : MediaTypes.OCI_LAYER_GZIP;
        return new Written(file, mt, Digest.of("sha256", md));
    }

    private static OutputStream compressor(OutputStream out, BuildRequest.Compression c) throws IOException {
        return c == BuildRequest.Compression.ZSTD ? new ZstdOutputStream(out) : new GZIPOutputStream(out, 1 << 16);
    }
}
