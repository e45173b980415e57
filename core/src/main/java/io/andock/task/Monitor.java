package io.andock.task;

import io.andock.container.ContainerDir;
import io.andock.container.LogConfig;
import io.andock.os.HostTools;
import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The container monitor: {@code andock-monitor.sh}, a POSIX sh shim (resource), written once to
 * {@code <root>/bin/}. It runs the driver's command, writes {@code pid} and {@code exit} into the container dir,
 * unmounts the overlay and, for {@code --rm}, removes the container. No JVM stays behind a detached container.
 * With {@code --log} it stamps the container's stdout and stderr into {@link LogFile} records through
 * {@code andock-log.sh} (installed next to it; also the writer of a TTY's single stream, see {@link #logArgv}); with
 * {@code --health} it runs the health check loop {@code andock-health.sh} beside the container ({@link Health}).
 */
final class Monitor {
    private final Path script;
    private final Path logScript;
    private final Path healthScript;

    Monitor(Path root) {
        this.script = root.resolve("bin").resolve("andock-monitor.sh");
        this.logScript = root.resolve("bin").resolve("andock-log.sh");
        this.healthScript = root.resolve("bin").resolve("andock-health.sh");
    }

    /** The monitor's argv for {@code driverCommand}; {@code cleanup} lists its options ({@code --umount P}...). */
    List<String> argv(ContainerDir containerDir, boolean stdinFifo, List<String> cleanup, List<String> driverCommand) {
        return argv(containerDir, stdinFifo, null, cleanup, driverCommand);
    }

    /**
     * As above; {@code log} (null: none) the monitor writes stdout and stderr as records to its own stdout (the
     * log), or, when the driver rotates the log, through its sink to {@code containerDir.log()}.
     */
    List<String> argv(ContainerDir containerDir, boolean stdinFifo, LogConfig log, List<String> cleanup, List<String> driverCommand) {
        install();
        List<String> cmd = new ArrayList<>(List.of(HostTools.sh(), script.toString(), containerDir.toString()));
        if (stdinFifo) cmd.add("--stdin-fifo");
        cmd.addAll(List.of(log != null ? "--log" : "--clock", logBase()));
        if (log != null && log.maxSize() > 0) {
            cmd.addAll(List.of("--log-rotate", Long.toString(log.maxSize()), Integer.toString(log.maxFiles()),
                    containerDir.log().toString()));
        }
        cmd.addAll(cleanup);
        cmd.add("--");
        cmd.addAll(driverCommand);
        return cmd;
    }

    /**
     * The writer of a TTY's one stream (script's output, stdin): each read as one record, as it comes, so a
     * prompt without newline reaches {@code logs -f} and {@code attach} at once. {@code tmp}: its scratch file.
     * When {@code log} rotates, the writer appends to {@code file} itself and rotates it (else to its stdout).
     */
    List<String> logArgv(Path tmp, LogConfig log, Path file) {
        install();
        List<String> cmd = new ArrayList<>(List.of(HostTools.sh(), logScript.toString(), "chunks", "1", logBase(), tmp.toString()));
        if (log.maxSize() > 0) cmd.addAll(List.of(Long.toString(log.maxSize()), Integer.toString(log.maxFiles()), file.toString()));
        return cmd;
    }

    /**
     * The wall clock minus /proc/uptime (the boot time, in 1/100 s), which the writers add to /proc/uptime to
     * stamp a line without running {@code date}; "-" where /proc/uptime cannot be read (whole seconds then).
     */
    static String logBase() {
        try {
            String up = Files.readString(Path.of("/proc/uptime")).trim().split(" ")[0];
            long upCs = Long.parseLong(up.replace(".", ""));
            return Long.toString(System.currentTimeMillis() / 10 - upCs);
        } catch (IOException | RuntimeException e) {
            return "-";
        }
    }

    private void install() {
        install("andock-monitor.sh", script);
        install("andock-log.sh", logScript);
        install("andock-health.sh", healthScript);
    }

    private static void install(String resource, Path script) {
        try {
            byte[] want = io.andock.os.Resources.read(Monitor.class, resource);
            if (want == null) throw new AndockException(AndockException.Kind.INTERNAL, resource + " missing from the jar");
            if (Files.isRegularFile(script) && Arrays.equals(Files.readAllBytes(script), want)) return;
            Files.createDirectories(script.getParent());
            // a name of this thread's own: concurrent starts in one daemon install at once
            Path tmp = script.resolveSibling(resource + ".tmp" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
            Files.write(tmp, want);
            Files.setAttribute(tmp, "unix:mode", 0755);
            Files.move(tmp, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("install " + script, e);
        }
    }
}
