package io.andock.registry;

import io.andock.image.Digest;
import io.andock.image.Reference;

import java.util.List;

/** {@code HEAD /v2/<repo>/blobs/<digest>}: whether the registry has the blob (in that repository). */
final class BlobChecker {
    private BlobChecker() {
    }

    static boolean exists(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, Digest digest) {
        return exists(transport, endpoints, repo, digest, RegistryRequest.pullScope(repo.repository()),
                "access denied for " + repo.familiarName());
    }

    /**
     * @param scope  the token scope to ask with (a push asks with its push scope, so one token serves it all)
     * @param denied what to say when access is refused
     */
    static boolean exists(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, Digest digest,
                          String scope, String denied) {
        String path = "/v2/" + repo.repository() + "/blobs/" + digest;
        return transport.call(endpoints, RegistryRequest.head(path, scope), r -> {
            int s = r.statusCode();
            if (s == 200) {
                RegistryErrors.readQuietly(r.body());
                return true;
            }
            if (s == 404) {
                RegistryErrors.readQuietly(r.body());
                return false;
            }
            throw RegistryErrors.of(r, denied);
        });
    }

    /** The blob's size from a {@code HEAD} (its Content-Length); empty when the repository lacks it. */
    static java.util.OptionalLong size(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, Digest digest) {
        String path = "/v2/" + repo.repository() + "/blobs/" + digest;
        return transport.call(endpoints, RegistryRequest.head(path, RegistryRequest.pullScope(repo.repository())), r -> {
            int s = r.statusCode();
            RegistryErrors.readQuietly(r.body());
            if (s == 200) {
                java.util.OptionalLong n = r.headers().firstValueAsLong("Content-Length");
                if (n.isEmpty() || n.getAsLong() < 0) throw io.andock.AndockException.corrupt("no Content-Length for blob " + digest);
                return n;
            }
            if (s == 404) return java.util.OptionalLong.empty();
            throw RegistryErrors.of(r, "access denied for " + repo.familiarName());
        });
    }
}
