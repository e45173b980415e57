package io.andock.registry;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.transfer.RawManifest;

import java.util.List;
import java.util.Map;

/**
 * {@code PUT /v2/<repo>/manifests/<tag|digest>} with the bytes exactly as given and {@code Content-Type} = their
 * media type → 201. The registry checks that every blob and child manifest it names is there, so manifests go
 * last and an index after its children. The {@code Docker-Content-Digest} the registry answers must be the
 * digest of our bytes (a registry that rewrote them would break every digest reference to the image).
 * Idempotent, so retried like a GET.
 */
final class ManifestPusher {

    private ManifestPusher() {
    }

    static void push(RegistryTransport transport, List<Endpoint> origin, Reference repo, String tagOrDigest, RawManifest m) {
        String path = "/v2/" + repo.repository() + "/manifests/" + tagOrDigest;
        RegistryRequest req = new RegistryRequest("PUT", path, Map.of("Content-Type", m.mediaType()),
                RegistryRequest.pushScope(repo.repository()), RegistryRequest.Body.of(m.bytes()), true);
        transport.call(origin, req, r -> {
            if (r.statusCode() != 201 && r.statusCode() != 200 && r.statusCode() != 204) {
                throw RegistryErrors.of(r, BlobUploader.denied(repo));
            }
            RegistryErrors.readQuietly(r.body());
            String said = r.headers().firstValue("Docker-Content-Digest").orElse(null);
            if (said != null && Digest.isDigest(said) && !Digest.parse(said).equals(m.digest())) {
                throw AndockException.corrupt("registry stored manifest " + m.digest() + " as " + said);
            }
            return null;
        });
    }
}
