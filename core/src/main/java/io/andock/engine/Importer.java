package io.andock.engine;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.image.Platform;
import io.andock.json.Json;
import io.andock.tar.TarReader;
import io.andock.transfer.RawManifest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code import}: a rootfs tarball (plain or gzip) becomes a one-layer image. The layer is stored gzip-compressed
 * (a gzip input as it is, a plain one compressed while it streams in), its diff_id is the sha256 of the plain tar,
 * and an OCI config (host platform, creation time, history "andock import") and manifest are written. Returns the
 * manifest; the caller records and unpacks it. The blobs are written under the caller's gc lease.
 */
final class Importer {
    private Importer() {
    }

    static RawManifest importTar(ContentStore content, InputStream input, String from) {
        return importTar(content, input, from, List.of(), "");
    }

    /**
     * As above, with {@code docker import -c} {@code changes} (Dockerfile instructions: CMD, ENV, ...) applied to
     * the config, checked before the tar is read, and {@code message} ({@code -m}) as the history's comment.
     */
    static RawManifest importTar(ContentStore content, InputStream input, String from, List<String> changes, String message) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("config", new LinkedHashMap<String, Object>());
        ConfigChanges.apply(config, changes);
        BufferedInputStream in = new BufferedInputStream(input, 1 << 16);
        Descriptor layer;
        Digest diffId;
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                layer = content.write(in, MediaTypes.OCI_LAYER_GZIP);
            } else {
                PipedInputStream pin = new PipedInputStream(1 << 16);
                PipedOutputStream pout = new PipedOutputStream(pin);
                CompletableFuture<Void> zip = CompletableFuture.runAsync(() -> {
                    try (GZIPOutputStream gz = new GZIPOutputStream(pout, 1 << 16)) {
                        in.transferTo(gz);
                    } catch (IOException e) {
                        throw AndockException.wrap("compress", e);
                    }
                });
                layer = content.write(pin, MediaTypes.OCI_LAYER_GZIP);
                zip.join();
            }
            diffId = checkedDiffId(new GZIPInputStream(content.open(layer.digest()), 1 << 16));
        } catch (IOException | AndockException e) {
            throw AndockException.wrap("import " + from, e);
        } catch (java.util.concurrent.CompletionException e) {
            throw AndockException.wrap("import " + from, e.getCause());
        }
        String now = io.andock.Timestamps.format(Instant.now());
        Platform p = Platform.host();
        config.put("architecture", p.architecture());
        if (!p.variant().isEmpty()) config.put("variant", p.variant());
        config.put("os", p.os());
        config.put("created", now);
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(diffId.toString())));
        config.put("history", List.of(Map.of("created", now, "created_by", "andock import",
                "comment", message == null || message.isEmpty() ? "Imported from " + from : message)));
        Descriptor cfg = content.write(Json.writeBytes(config), MediaTypes.OCI_CONFIG);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", cfg.toJson());
        manifest.put("layers", List.of(layer.toJson()));
        RawManifest raw = RawManifest.of(Json.writeBytes(manifest), MediaTypes.OCI_MANIFEST);
        content.write(raw.bytes(), raw.mediaType());
        return raw;
    }

    /**
     * The sha256 of the plain tar, read through {@link TarReader} so that a malformed archive is refused here, at
     * import, rather than recorded as an image that fails at its first run.
     */
    private static Digest checkedDiffId(InputStream plain) throws IOException {
        MessageDigest md = Digest.sha256Digester();
        try (InputStream in = new DigestInputStream(plain, md)) {
            TarReader tar = new TarReader(in);
            for (var e = tar.next(); e != null; e = tar.next()) {
                tar.content().transferTo(OutputStream.nullOutputStream());
            }
            in.transferTo(OutputStream.nullOutputStream()); // end blocks and padding count in the diff_id
        }
        return Digest.of("sha256", md);
    }
}
