package io.andock.registry;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.image.Reference;
import io.andock.json.JsonObject;
import io.andock.transfer.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/<repo>/manifests/<tag|digest>} with {@code Accept: }{@link MediaTypes#MANIFEST_ACCEPT}.
 *
 * <p>The media type is the document's {@code mediaType}, or, where the document has none (umoci writes none), the
 * response's {@code Content-Type}, or, failing both, OCI index or manifest by the document's shape. The digest is
 * computed over the bytes received; when one was asked for it must match (CORRUPT otherwise). The
 * {@code Docker-Content-Digest} header is not trusted for anything.
 */
final class ManifestPuller {
    /** As containerd: a manifest is small; more is an attack or an error. */
    static final int MAX_BYTES = 4 << 20;

    private ManifestPuller() {
    }

    /** @param expected the digest the bytes must have, or null when resolving a tag */
    static RawManifest pull(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, String tagOrDigest,
                            Digest expected) {
        String path = "/v2/" + repo.repository() + "/manifests/" + tagOrDigest;
        RegistryRequest req = RegistryRequest.get(path, RegistryRequest.pullScope(repo.repository()),
                Map.of("Accept", MediaTypes.MANIFEST_ACCEPT));
        try {
            return transport.call(endpoints, req, r -> read(r, repo, expected));
        } catch (AndockException e) {
            // a stalled answer: say which manifest (connection errors and HTTP answers keep their own words)
            if (e.getCause() instanceof IdleTimeoutInputStream.ReadTimeout) throw e.withContext("fetch manifest " + repo.repository() + ":" + tagOrDigest);
            throw e;
        }
    }

    private static RawManifest read(HttpResponse<InputStream> r, Reference repo, Digest expected) throws IOException {
        if (r.statusCode() != 200) throw RegistryErrors.of(r, "pull access denied for " + repo.familiarName());
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) throw AndockException.corrupt("manifest larger than " + MAX_BYTES + " bytes");
        long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced >= 0 && announced != bytes.length) {
            throw new IOException("manifest cut off after " + bytes.length + " of " + announced + " bytes");
        }
        String mediaType = mediaType(bytes, r.headers().firstValue("Content-Type").orElse(null));
        String algorithm = expected == null ? "sha256" : expected.algorithm();
        Digest digest = computeDigest(algorithm, bytes);
        if (expected != null && !expected.equals(digest)) {
            throw AndockException.corrupt("manifest digest mismatch: expected " + expected + ", got " + digest);
        }
        return new RawManifest(bytes, mediaType, digest);
    }

    static String mediaType(byte[] bytes, String contentType) {
        JsonObject doc;
        try {
            doc = JsonObject.parse(bytes);
        } catch (AndockException e) {
            throw AndockException.corrupt("manifest is not valid JSON: " + e.getMessage());
        }
        String mt = doc.string("mediaType");
        if (mt != null && !mt.isEmpty()) return mt;
        String ct = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (MediaTypes.isIndex(ct) || MediaTypes.isManifest(ct)) return ct;
        return doc.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }

    private static Digest computeDigest(String algorithm, byte[] bytes) {
        if (algorithm.equals("sha256")) return Digest.sha256(bytes);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(bytes);
            return Digest.of(algorithm, md);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
