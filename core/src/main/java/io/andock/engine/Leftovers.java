package io.andock.engine;

import io.andock.builder.BuildScratch;
import io.andock.container.ContainerStore;
import io.andock.driver.Drivers;
import io.andock.os.Owner;
import io.andock.os.FileTrees;

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
 * Scratch directories ({@link #scratchDir}: a build context the daemon receives) are swept the same way.
 */
public final class Leftovers {
    /**
     * The names of leftovers, compiled only where {@code tmp/} holds something: every command sweeps, and three
     * patterns cost its start ~2 ms of interpreted regex compiling (profiled).
     */
    private static final class Names {
        /** {@code WHAT-PID.START-UUID.tar}; spools from before owners were named are {@code WHAT-UUID.tar}. */
        static final Pattern SPOOL = Pattern.compile("[a-z]+-(?:(\\d+\\.\\d+)-)?[0-9a-f-]{36}\\.tar");
        /** {@code WHAT-PID.START-UUID}: a scratch directory (a build context being received), see {@link #scratchDir}. */
        static final Pattern SCRATCH = Pattern.compile("[a-z]+(?:-[a-z]+)*-(\\d+\\.\\d+)-[0-9a-f-]{36}");
        /** Build contexts received before they named their owner ({@code build-context-DIGITS}, Files.createTempDirectory). */
        static final Pattern UNOWNED_SCRATCH = Pattern.compile("build-context-\\d+");
    }
    private static final long UNOWNED_GRACE_MILLIS = 3_600_000;

    private Leftovers() {}

    /** A new spool file's name in {@code tmpDir}, owned by this process. */
    static Path spoolFile(Path tmpDir, String what) {
        return tmpDir.resolve(what + "-" + Owner.self() + "-" + UUID.randomUUID() + ".tar");
    }

    /**
     * Makes a new private (0700) scratch directory in {@code tmpDir} owned by this process: {@code what} (lower-case
     * words joined by {@code -}) becomes {@code WHAT-PID.START-UUID}. Whoever makes it deletes it when its request
     * ends; one left by a killed process goes at the next start of any engine on the root.
     */
    public static Path scratchDir(Path tmpDir, String what) throws IOException {
        if (!what.matches("[a-z]+(?:-[a-z]+)*")) throw new IllegalArgumentException("scratch name " + what);
        Files.createDirectories(tmpDir);
        Path dir = tmpDir.resolve(what + "-" + Owner.self() + "-" + UUID.randomUUID());
        Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        return dir;
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
                String name = p.getFileName().toString();
                Matcher d = Names.SCRATCH.matcher(name);
                if (d.matches() || Names.UNOWNED_SCRATCH.matcher(name).matches()) {
                    boolean stale = d.matches() ? Owner.gone(d.group(1)) : Files.getLastModifiedTime(p).toMillis()
                            < System.currentTimeMillis() - UNOWNED_GRACE_MILLIS;
                    if (stale && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) FileTrees.deleteTree(p);
                    continue;
                }
                Matcher m = Names.SPOOL.matcher(name);
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
