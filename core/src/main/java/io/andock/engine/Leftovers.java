package io.andock.engine;

import io.andock.builder.BuildScratch;
import io.andock.container.ContainerStore;
import io.andock.driver.Drivers;
import io.andock.os.Owner;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What killed processes left half-made, removed when the engine opens (every CLI command, the daemon's start):
 * uploads spooled to {@code <root>/tmp}, builds' scratch under {@code build-work/} (their RUN containers killed
 * first), containers half-created or half-removed (their overlays unmounted first). Only what a process that is
 * gone made: each names its owner ({@link Owner}). Requests that end, however they end, clean up themselves.
 */
final class Leftovers {
    /** {@code WHAT-PID.START-UUID.tar}; spools from before owners were named are {@code WHAT-UUID.tar}. */
    private static final Pattern SPOOL = Pattern.compile("[a-z]+-(?:(\\d+\\.\\d+)-)?[0-9a-f-]{36}\\.tar");
    private static final long UNOWNED_GRACE_MILLIS = 3_600_000;

    private Leftovers() {}

    /** A new spool file's name in {@code tmpDir}, owned by this process. */
    static Path spoolFile(Path tmpDir, String what) {
        return tmpDir.resolve(what + "-" + Owner.self() + "-" + UUID.randomUUID() + ".tar");
    }

    static void sweep(EngineConfig config, Supplier<Drivers> drivers) {
        sweepSpools(config.tmpDir());
        BuildScratch.sweep(config.root().resolve("build-work"), name -> drivers.get().get(name));
        new ContainerStore(config.root()).sweep();
    }

    static void sweepSpools(Path tmpDir) {
        if (!Files.isDirectory(tmpDir)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmpDir)) {
            for (Path p : ds) {
                Matcher m = SPOOL.matcher(p.getFileName().toString());
                if (!m.matches()) continue;
                boolean stale = m.group(1) != null ? Owner.gone(m.group(1))
                        : Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - UNOWNED_GRACE_MILLIS;
                if (stale) Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: the next start tries again
        }
    }
}
