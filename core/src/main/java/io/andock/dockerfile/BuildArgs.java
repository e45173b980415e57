package io.andock.dockerfile;

import io.andock.image.Platform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The args every build knows without an ARG line: the proxy args and the platform args. */
public final class BuildArgs {
    private BuildArgs() {
    }

    /**
     * Proxy args: usable through {@code --build-arg} without an ARG line, visible to RUN, and left out of the cache
     * key and of the history unless the Dockerfile declares them with ARG.
     */
    public static final Set<String> PROXY = Set.of(
            "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
            "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    /**
     * The platform args (TARGETPLATFORM, TARGETOS, TARGETARCH, TARGETVARIANT, BUILDPLATFORM, BUILDOS, BUILDARCH,
     * BUILDVARIANT), as BuildKit defines them: set in the global scope (so FROM lines can use them) and taken into a
     * stage by a bare {@code ARG TARGETARCH}.
     */
    public static Map<String, String> platformArgs(Platform target, Platform build) {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "TARGET", target);
        put(m, "BUILD", build);
        return m;
    }

    private static void put(Map<String, String> m, String prefix, Platform p) {
        m.put(prefix + "PLATFORM", p.toString());
        m.put(prefix + "OS", p.os());
        m.put(prefix + "ARCH", p.architecture());
        m.put(prefix + "VARIANT", p.variant());
    }
}
