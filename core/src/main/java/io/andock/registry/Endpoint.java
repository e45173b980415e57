package io.andock.registry;

import io.andock.AndockException;
import io.andock.image.Reference;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One base URL a registry's API is reached at.
 *
 * <p>Where requests for a registry go, in the order tried (the <em>transport list</em>):
 * <ol>
 *   <li>for pulls only, each mirror configured for that registry, as its URL says (a URL without scheme follows
 *       the rules below);</li>
 *   <li>the registry itself:
 *     <ul>
 *       <li>{@code docker.io} → {@code https://registry-1.docker.io} (tokens from {@code auth.docker.io}, announced
 *           by its challenge);</li>
 *       <li>loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) → {@code http://} only. Docker also
 *           treats loopback as insecure; a local registry almost never has TLS, and trying HTTPS first would cost a
 *           failed handshake per request;</li>
 *       <li>listed in {@link RegistryOptions#insecureRegistries()} → {@code https://}, then {@code http://} when
 *           no HTTPS connection can be made (certificates are still verified);</li>
 *       <li>anything else → {@code https://} only.</li>
 *     </ul></li>
 * </ol>
 * The next entry is tried when a mirror fails in any way, or when the registry's HTTPS endpoint cannot be
 * connected to; the registry's own last answer is the error reported.
 *
 * @param base     {@code scheme://host[:port][/path]} without a trailing slash; API paths ({@code /v2/…}) are appended
 * @param registry the name credentials and tokens are kept under: {@code docker.io}, {@code host:port}
 * @param mirror   whether this is a pull-through mirror rather than the registry itself
 * @param mirrorOf for a mirror of a pull, the registry it stands for (sent as {@code ?ns=}); null otherwise
 */
record Endpoint(URI base, String registry, boolean mirror, String mirrorOf) {
    Endpoint(URI base, String registry, boolean mirror) {
        this(base, registry, mirror, null);
    }

    static final String DOCKER_HUB_API = "https://registry-1.docker.io";

    /**
     * {@code path} ({@code /v2/…}) under this base; an absolute URL (an upload's Location) as it is. A request to a
     * mirror names the registry it stands for with {@code ?ns=<registry>}, as containerd does: a mirror of several
     * registries (andock hub) tells them apart by it.
     */
    URI resolve(String path) {
        if (!path.startsWith("/")) return URI.create(path);
        if (mirrorOf != null && path.startsWith("/v2/") && path.length() > 4) {
            return URI.create(base + path + (path.indexOf('?') >= 0 ? "&" : "?") + "ns=" + mirrorOf);
        }
        return URI.create(base + path);
    }

    /** {@code host[:port]}, for messages. */
    String host() {
        return base.getRawAuthority();
    }

    /** The endpoints a pull from {@code registry} tries, mirrors first. */
    static List<Endpoint> forPull(String registry, RegistryOptions options) {
        List<Endpoint> out = new ArrayList<>();
        for (String url : options.mirrors().getOrDefault(registry, List.of())) {
            Endpoint m = mirror(url);
            out.add(new Endpoint(m.base(), m.registry(), true, registry));
        }
        out.addAll(origin(registry, options));
        return out;
    }

    /** The registry's own endpoints (push, login, tags list). */
    static List<Endpoint> origin(String registry, RegistryOptions options) {
        if (registry.equals(Reference.DOCKER_HUB)) {
            return List.of(new Endpoint(URI.create(DOCKER_HUB_API), registry, false));
        }
        if (isLoopback(registry)) return List.of(at("http", registry, false));
        if (options.isInsecure(registry)) return List.of(at("https", registry, false), at("http", registry, false));
        return List.of(at("https", registry, false));
    }

    private static Endpoint mirror(String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (!u.contains("://")) u = (isLoopback(u) ? "http://" : "https://") + u;
        URI base;
        try {
            base = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw AndockException.invalid("invalid registry mirror \"" + url + "\"");
        }
        if (base.getRawAuthority() == null || !(u.startsWith("http://") || u.startsWith("https://"))) {
            throw AndockException.invalid("invalid registry mirror \"" + url + "\": expected http(s)://host[:port]");
        }
        return new Endpoint(base, base.getRawAuthority(), true);
    }

    private static Endpoint at(String scheme, String registry, boolean mirror) {
        return new Endpoint(URI.create(scheme + "://" + registry), registry, mirror);
    }

    /** Whether {@code registry} ({@code host[:port]}) names this machine: localhost, 127.0.0.0/8 or ::1. */
    static boolean isLoopback(String registry) {
        String h = hostOf(registry).toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** The host of {@code host[:port]}, IPv6 literals keeping their brackets. */
    static String hostOf(String registry) {
        if (registry.startsWith("[")) {
            int end = registry.indexOf(']');
            return end < 0 ? registry : registry.substring(0, end + 1);
        }
        int colon = registry.indexOf(':');
        if (colon >= 0 && registry.indexOf(':', colon + 1) >= 0) return registry; // bare IPv6
        return colon < 0 ? registry : registry.substring(0, colon);
    }
}
