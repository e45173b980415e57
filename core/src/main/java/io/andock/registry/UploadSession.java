package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * An open blob upload: the URL of the registry's last {@code Location} header, made absolute against the request
 * that got it, its query (distribution's {@code _state}) kept. Each PATCH answers with the next one; the final
 * PUT adds {@code digest=} to it.
 */
record UploadSession(URI location) {

    /** The session a 202 (or 201/204) response names; UNAVAILABLE when it names none. */
    static UploadSession from(HttpResponse<InputStream> r) {
        String loc = r.headers().firstValue("Location").orElse(null);
        if (loc == null || loc.isBlank()) {
            RegistryErrors.readQuietly(r.body());
            throw new AndockException(Kind.UNAVAILABLE, r.request().uri().getRawAuthority()
                    + ": upload answer " + r.statusCode() + " without a Location header");
        }
        return resolve(r.request().uri(), loc);
    }

    /** {@code location} (absolute, or relative such as {@code /v2/x/blobs/uploads/uuid?_state=…}) against {@code request}. */
    static UploadSession resolve(URI request, String location) {
        try {
            return new UploadSession(request.resolve(location.trim()));
        } catch (IllegalArgumentException e) {
            throw new AndockException(Kind.UNAVAILABLE, request.getRawAuthority() + ": invalid upload location \"" + location + "\"");
        }
    }

    /** The location with {@code name=value} added to its query. */
    String withParam(String name, String value) {
        String s = location.toString();
        String sep = location.getRawQuery() == null ? "?" : "&";
        return s + sep + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    String url() {
        return location.toString();
    }

    /**
     * The endpoint requests to this session go through: the one of {@code origin} with the location's scheme and
     * authority, else the last (the Authorization header then stays home: it goes to the endpoint's origin only).
     */
    List<Endpoint> endpoint(List<Endpoint> origin) {
        for (Endpoint ep : origin) {
            if (Objects.equals(ep.base().getScheme(), location.getScheme())
                    && Objects.equals(ep.base().getRawAuthority(), location.getRawAuthority())) {
                return List.of(ep);
            }
        }
        return List.of(origin.get(origin.size() - 1));
    }
}
