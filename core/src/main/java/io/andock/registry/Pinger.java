package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;

import java.util.List;
import java.util.Map;

/** {@code GET /v2/}: is this a registry, and do we get in (with the credentials the transport's authenticator has)? */
final class Pinger {
    private Pinger() {
    }

    static void ping(RegistryTransport transport, List<Endpoint> endpoints, String registry) {
        transport.call(endpoints, RegistryRequest.get("/v2/", null, Map.of()), r -> {
            if (r.statusCode() == 200) {
                RegistryErrors.readQuietly(r.body());
                return null;
            }
            if (r.statusCode() == 401) {
                RegistryErrors.readQuietly(r.body());
                throw new AndockException(Kind.UNAUTHORIZED, registry + ": unauthorized: incorrect username or password, or none given");
            }
            if (r.statusCode() == 404) {
                RegistryErrors.readQuietly(r.body());
                throw new AndockException(Kind.UNAVAILABLE, registry + " does not serve the registry API v2 (GET /v2/ answered 404)");
            }
            throw RegistryErrors.of(r, "access denied to " + registry);
        });
    }
}
