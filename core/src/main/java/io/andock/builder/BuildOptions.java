package io.andock.builder;

import io.andock.image.Platform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code andock build} was asked: {@code --build-arg} values (a null value means "take it from the client's
 * environment", already resolved by the front end, so it is treated as absent here), {@code --target} (null: the
 * last stage), the platform to build for and the platform building, {@code --add-host} entries for RUN steps'
 * {@code /etc/hosts} ({@code host:ip}, checked here).
 */
public record BuildOptions(Map<String, String> buildArgs, String target, Platform targetPlatform,
                           Platform buildPlatform, java.util.List<String> extraHosts) {

    public BuildOptions {
        extraHosts = extraHosts == null ? java.util.List.of() : java.util.List.copyOf(extraHosts);
        for (String h : extraHosts) hostsLine(h);
        Map<String, String> m = new LinkedHashMap<>();
        if (buildArgs != null) buildArgs.forEach((k, v) -> { if (v != null) m.put(k, v); });
        buildArgs = java.util.Collections.unmodifiableMap(m);
        if (buildPlatform == null) buildPlatform = Platform.host();
        if (targetPlatform == null) targetPlatform = buildPlatform;
    }

    public static BuildOptions defaults() {
        return new BuildOptions(Map.of(), null, null, null, null);
    }

    public BuildOptions withBuildArgs(Map<String, String> args) {
        return new BuildOptions(args, target, targetPlatform, buildPlatform, extraHosts);
    }

    public BuildOptions withTarget(String t) {
        return new BuildOptions(buildArgs, t, targetPlatform, buildPlatform, extraHosts);
    }

    public BuildOptions withPlatforms(Platform target, Platform build) {
        return new BuildOptions(buildArgs, this.target, target, build, extraHosts);
    }

    public BuildOptions withExtraHosts(java.util.List<String> hosts) {
        return new BuildOptions(buildArgs, target, targetPlatform, buildPlatform, hosts);
    }

    /**
     * {@code host:ip} (docker's {@code --add-host}; {@code host=ip} too, an IPv6 address may follow the first
     * colon) as an {@code /etc/hosts} line; INVALID_ARGUMENT for anything else (no line breaks, no spaces).
     */
    public static String hostsLine(String entry) {
        int sep = entry.indexOf('=') > 0 ? entry.indexOf('=') : entry.indexOf(':');
        String host = sep > 0 ? entry.substring(0, sep) : "", ip = sep > 0 ? entry.substring(sep + 1) : "";
        if (!host.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}") || !ip.matches("[0-9A-Fa-f.:]{2,45}")) {
            throw io.andock.AndockException.invalid("invalid argument \"" + entry + "\" for \"--add-host\" flag: host:ip expected");
        }
        return ip + "\t" + host;
    }
}
