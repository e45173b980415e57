package io.andock.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code shared/android-sim} (the unrooted-phone imitation) is: {@code -Dandock.androidSim=DIR}, else the
 * {@code shared} folder beside this checkout (as CI lays it out), else {@code /work/shared}. Tests that need it
 * skip, saying so, when none exists.
 */
public final class AndroidSim {
    private AndroidSim() {
    }

    /** The android-sim directory, or null when there is none. */
    public static Path dir() {
        String prop = System.getProperty("andock.androidSim");
        if (prop != null) return Files.isDirectory(Path.of(prop)) ? Path.of(prop) : null;
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path sim = p.resolveSibling("shared").resolve("android-sim");
            if (Files.isExecutable(sim.resolve("run-as-app"))) return sim;
        }
        Path fallback = Path.of("/work/shared/android-sim");
        return Files.isExecutable(fallback.resolve("run-as-app")) ? fallback : null;
    }

    /** {@code run-as-app}, or a path that does not exist when there is no simulator. */
    public static Path runAsApp() {
        Path d = dir();
        return d == null ? Path.of("/nonexistent/android-sim/run-as-app") : d.resolve("run-as-app");
    }
}
