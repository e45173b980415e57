package io.andock.registry;

import java.io.InputStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One request of the registry API, independent of which endpoint serves it.
 *
 * @param method     GET, HEAD, PUT, PATCH, POST, DELETE
 * @param path       from {@code /v2/} on, with query; or an absolute URL (an upload's {@code Location})
 * @param headers    extra headers (Accept, Range, Content-Type, Content-Range)
 * @param scope      the token scope(s) it needs, space-separated ({@code repository:busybox:pull}), or null (ping)
 * @param body       what to send, or null for no body
 * @param idempotent whether the transport may send it again after a connection error, a 5xx or a 429 (a resend
 *                   after a 401 is always allowed: the registry refused it before acting on it)
 */
record RegistryRequest(String method, String path, Map<String, String> headers, String scope, Body body,
                       boolean idempotent) {

    /**
     * A request body of known length ({@code Content-Length} is sent), opened anew for each send of the request,
     * so it is streamed and never held here.
     */
    record Body(long length, Supplier<InputStream> open) {
        static Body of(byte[] bytes) {
            return new Body(bytes.length, () -> new java.io.ByteArrayInputStream(bytes));
        }
    }

    RegistryRequest {
        headers = Map.copyOf(headers);
    }

    static RegistryRequest get(String path, String scope, Map<String, String> headers) {
        return new RegistryRequest("GET", path, headers, scope, null, true);
    }

    static RegistryRequest head(String path, String scope) {
        return new RegistryRequest("HEAD", path, Map.of(), scope, null, true);
    }

    static String pullScope(String repository) {
        return "repository:" + repository + ":pull";
    }

    /** What every push request of {@code repository} asks for: one token serves the checks, uploads and manifests. */
    static String pushScope(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    /** A cross-repository mount needs push on the target and pull on the source, in one token. */
    static String mountScope(String repository, String from) {
        return pushScope(repository) + " " + pullScope(from);
    }
}
