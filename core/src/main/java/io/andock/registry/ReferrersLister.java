package io.andock.registry;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.image.Reference;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v2/<repo>/referrers/<digest>} (distribution-spec 1.1): the image index of a subject's referrers, as
 * the registry sent it (at most {@link ManifestPuller#MAX_BYTES}). Empty when the registry has no referrers API
 * (404 on the endpoint); whether the registry applied the {@code artifactType} filter is in {@code filtered}.
 */
final class ReferrersLister {
    private ReferrersLister() {
    }

    /** The index's bytes and whether the registry filtered it by artifact type. */
    record Answer(byte[] index, boolean filtered) {}

    static Optional<Answer> list(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, Digest subject, String artifactType) {
        String path = "/v2/" + repo.repository() + "/referrers/" + subject
                + (artifactType == null ? "" : "?artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8));
        RegistryRequest req = RegistryRequest.get(path, RegistryRequest.pullScope(repo.repository()), Map.of("Accept", "application/vnd.oci.image.index.v1+json"));
        return transport.call(endpoints, req, r -> {
            if (r.statusCode() == 404) {
                r.body().close();
                return Optional.empty();
            }
            if (r.statusCode() != 200) throw RegistryErrors.of(r, "access denied for " + repo.familiarName());
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(ManifestPuller.MAX_BYTES + 1);
            }
            if (body.length > ManifestPuller.MAX_BYTES) throw AndockException.corrupt("referrers of " + subject + ": more than " + ManifestPuller.MAX_BYTES + " bytes");
            boolean filtered = r.headers().allValues("OCI-Filters-Applied").stream().anyMatch(v -> v.contains("artifactType"));
            return Optional.of(new Answer(body, filtered));
        });
    }
}
