package io.andock.builder;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.os.FileTrees;
import io.andock.container.ContainerRootfs;
import io.andock.driver.Driver;
import io.andock.os.Owner;
import io.andock.os.ProcessTable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A build's scratch directory, {@code build-work/<uuid>/}: stage rootfs copies, RUN bundles, downloads. It names
 * its owner ({@code owner}, see {@link Owner}) and each RUN bundle the container it runs ({@code run.json}: driver,
 * container id, the runtime process). The build removes it when it ends however it ends (its finally, a shutdown
 * hook for SIGTERM); what a killed build left is reaped at the next engine start: its RUN containers killed through
 * their driver, mounts below it undone, then the tree deleted.
 */
public final class BuildScratch {
    private static final String RUN = "run.json";
    /** A scratch dir without an owner file (made before owners were recorded) is a leftover after this long. */
    private static final long UNOWNED_GRACE_MILLIS = 3_600_000;

    private BuildScratch() {}

    /** Creates a fresh scratch directory under {@code workDir}, owned by this process. */
    public static Path create(Path workDir) throws IOException {
        Path dir = workDir.resolve(UUID.randomUUID().toString());
        Files.createDirectories(dir);
        Owner.write(dir.resolve("owner"));
        return dir;
    }

    /** Records in a RUN bundle which container runs from it and the runtime process running it. */
    static void recordRun(Path bundle, String driver, String containerId, long pid) throws IOException {
        Files.write(bundle.resolve(RUN), Json.writeBytes(Map.of("Driver", driver, "Id", containerId, "Pid", pid,
                "Start", ProcessTable.startTime(pid))));
    }

    /** Reaps every scratch directory under {@code workDir} whose build is gone. */
    public static void sweep(Path workDir, Function<String, Driver> drivers) {
        if (!Files.isDirectory(workDir)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(workDir, Files::isDirectory)) {
            for (Path d : ds) if (Owner.abandoned(d, d.resolve("owner"), UNOWNED_GRACE_MILLIS)) reap(d, drivers);
        } catch (IOException ignored) {
            // best effort: the next start tries again
        }
    }

    /** Kills the RUN containers recorded in {@code scratch}, undoes mounts below it, deletes it. Idempotent. */
    public static void reap(Path scratch, Function<String, Driver> drivers) {
        killRuns(scratch, drivers);
        ContainerRootfs.unmountAll(scratch);
        if (ContainerRootfs.mountedBelow(scratch)) return; // never delete through a live mount
        // the owner file goes last: a delete cut short (or racing the build's own) leaves it, so a later sweep knows
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(scratch, p -> !p.getFileName().toString().equals("owner"))) {
            for (Path p : ds) FileTrees.deleteTree(p);
        } catch (IOException ignored) {
            // gone meanwhile, or retried by the next sweep
        }
        try {
            FileTrees.deleteTree(scratch);
        } catch (IOException ignored) {
            // best effort: the next start tries again
        }
    }

    /** Kills the RUN containers recorded in {@code scratch}. */
    public static void killRuns(Path scratch, Function<String, Driver> drivers) {
        for (Path bundle : runBundles(scratch)) killRun(bundle, drivers);
    }

    private static List<Path> runBundles(Path scratch) {
        try (Stream<Path> s = Files.find(scratch, 3, (p, a) -> p.getFileName().toString().equals(RUN) && a.isRegularFile())) {
            return s.map(Path::getParent).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return new ArrayList<>();
        }
    }

    static void killRun(Path bundle, Function<String, Driver> drivers) {
        JsonObject run;
        try {
            run = JsonObject.parse(Files.readAllBytes(bundle.resolve(RUN)));
        } catch (IOException | RuntimeException e) {
            return;
        }
        long pid = run.number("Pid", -1);
        long start = run.number("Start", -2);
        boolean alive = ProcessTable.same(pid, start, null);
        try {
            Driver driver = drivers.apply(run.string("Driver"));
            if (alive) driver.kill(bundle, run.string("Id"), pid, 9, true);
            driver.delete(bundle, run.string("Id"));
        } catch (AndockException ignored) {
            // gone already, or a driver this host no longer has: the process kill below still applies
        }
        if (alive && ProcessTable.same(pid, start, null)) {
            for (int round = 0; round < 2; round++) ProcessTable.signal(9, ProcessTable.descendants(pid));
            ProcessTable.signal(9, List.of(pid));
        }
    }
}
