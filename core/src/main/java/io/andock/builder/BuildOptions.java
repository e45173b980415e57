package io.andock.builder;

import io.andock.image.Platform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code andock build} was asked: {@code --build-arg} values (a null value means "take it from the client's
 * environment", already resolved by the front end, so it is treated as absent here), {@code --target} (null: the
 * last stage), the platform to build for and the platform building.
 */
public record BuildOptions(Map<String, String> buildArgs, String target, Platform targetPlatform,
                           Platform buildPlatform) {

    public BuildOptions {
        Map<String, String> m = new LinkedHashMap<>();
        if (buildArgs != null) buildArgs.forEach((k, v) -> { if (v != null) m.put(k, v); });
        buildArgs = java.util.Collections.unmodifiableMap(m);
        if (buildPlatform == null) buildPlatform = Platform.host();
        if (targetPlatform == null) targetPlatform = buildPlatform;
    }

    public static BuildOptions defaults() {
        return new BuildOptions(Map.of(), null, null, null);
    }

    public BuildOptions withBuildArgs(Map<String, String> args) {
        return new BuildOptions(args, target, targetPlatform, buildPlatform);
    }

    public BuildOptions withTarget(String t) {
        return new BuildOptions(buildArgs, t, targetPlatform, buildPlatform);
    }

    public BuildOptions withPlatforms(Platform target, Platform build) {
        return new BuildOptions(buildArgs, this.target, target, build);
    }
}
