package io.andock.registry;

import io.andock.image.Digest;
import io.andock.image.Reference;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v2/<repo>/blobs/uploads/?mount=<digest>&from=<other repo>}: a cross-repository mount. 201: the
 * blob is now in {@code repo} too, nothing to upload. 202: the registry could not mount it (it does not hold the
 * blob in {@code from}, or we may not read {@code from}) and opened an upload session instead, which the caller
 * uses. Any refusal is "not mounted", never an error: the upload that follows reports real access problems.
 */
final class BlobMounter {

    /** @param session the upload session a 202 opened, or null (mounted, or refused without one) */
    record Result(boolean mounted, UploadSession session) {
    }

    private BlobMounter() {
    }

    static Result mount(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, Digest digest, String from) {
        String path = "/v2/" + repo.repository() + "/blobs/uploads/?mount=" + enc(digest.toString()) + "&from=" + enc(from);
        // Repeating the POST is safe: at worst the registry holds an unused session until it purges it.
        RegistryRequest req = new RegistryRequest("POST", path, Map.of(),
                RegistryRequest.mountScope(repo.repository(), from), RegistryRequest.Body.of(new byte[0]), true);
        return transport.call(endpoints, req, r -> {
            int s = r.statusCode();
            if (s == 201) {
                RegistryErrors.readQuietly(r.body());
                return new Result(true, null);
            }
            if (s == 202) {
                UploadSession session = UploadSession.from(r);
                RegistryErrors.readQuietly(r.body());
                return new Result(false, session);
            }
            RegistryErrors.readQuietly(r.body());
            return new Result(false, null);
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
