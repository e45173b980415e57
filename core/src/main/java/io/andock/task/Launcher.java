package io.andock.task;

import io.andock.AndockException;
import io.andock.container.ContainerDir;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerRootfs;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.container.LogConfig;
import io.andock.container.ExecFailure;
import io.andock.container.ProcessResolver;
import io.andock.container.VolumeStore;
import io.andock.os.ProcessLock;
import io.andock.driver.Driver;
import io.andock.driver.Drivers;
import io.andock.os.HostTools;
import io.andock.os.ShellScript;
import io.andock.os.Interruptible;
import io.andock.os.ProcessTable;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a created container: mounts its rootfs, checks its command, brings its network up and runs the driver's
 * command under the {@link Monitor}, either detached (no JVM behind it, output to the log) or attached to an
 * {@link Attach} ({@link Attacher}); then records it running once the monitor wrote the main pid. Under the
 * container's lock, so that two starts never race.
 */
final class Launcher {
    /** As the monitor's --stdin-fifo: read-write, so stdin stays open (docker -i) until the container exits. */
    /** Gives a command a fifo for stdin that never reaches EOF ({@code stdin-fifo.sh}). */
    private static final ShellScript STDIN_FIFO = ShellScript.load(Launcher.class, "stdin-fifo.sh");
    private final ContainerStore store;
    private final VolumeStore volumes;
    private final Drivers drivers;
    private final Monitor monitor;
    private final ContainerNetworks networks;
    private final ContainerSignals signals;

    Launcher(ContainerStore store, VolumeStore volumes, Drivers drivers, Monitor monitor, ContainerNetworks networks,
             ContainerSignals signals) {
        this.store = store;
        this.volumes = volumes;
        this.drivers = drivers;
        this.monitor = monitor;
        this.networks = networks;
        this.signals = signals;
    }

    /** {@code start}: runs the container detached under its monitor; a running container is left alone. */
    void start(String id) {
        try (ProcessLock lock = store.lock(id)) {
            if (store.state(id).running()) return;
            Launch l = prepare(id);
            ContainerDir dir = store.dir(id);
            ContainerSpec spec = l.record.spec();
            LogConfig logConfig = spec.effectiveLogConfig();
            if (logConfig.keepsLogs()) LogFile.prepare(dir.log());
            List<String> argv;
            if (spec.tty() && Pty.available()) {
                // the pty is script's, so stdin (the fifo of -i, else nothing) is fed to script, not to the monitor
                List<String> onPty = Pty.wrap(monitor.argv(dir, false, l.cleanup, l.argv), dir.tty(),
                        spec.consoleHeight(), spec.consoleWidth(),
                        l.driver.makesTerminal());
                // without -i too: script would turn EOF on its stdin into a byte for the container
                argv = STDIN_FIFO.argv(dir.stdinFifo().toString(), onPty);
            } else {
                argv = monitor.argv(dir, spec.openStdin(), logConfig.keepsLogs() ? logConfig : null, l.cleanup, l.argv);
            }
            File log = logConfig.keepsLogs() ? dir.log().toFile() : new File("/dev/null");
            ProcessBuilder pb = new ProcessBuilder(withSetsid(argv))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            try {
                started(id, spec.tty() && logConfig.keepsLogs() ? startTtyLogged(pb, dir.log(), logConfig, id) : pb.start(), l.driver);
            } catch (IOException | RuntimeException e) {
                networks.down(dir);
                throw e;
            }
        } catch (IOException e) {
            throw AndockException.wrap("start container " + id, e);
        }
    }

    /**
     * A TTY's one stream (script's output, or the monitor's without a pty) through the chunk writer of
     * {@link Monitor#logArgv} into {@code log}: a pipe between two processes of their own, no JVM behind them.
     */
    private Process startTtyLogged(ProcessBuilder pb, Path log, LogConfig logConfig, String id) throws IOException {
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "andock-log-" + id);
        ProcessBuilder writer = new ProcessBuilder(withSetsid(monitor.logArgv(tmp, logConfig, log)))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectError(ProcessBuilder.Redirect.DISCARD);
        return ProcessBuilder.startPipeline(List.of(pb, writer)).get(0);
    }

    /** {@code start -a [-i]} (and foreground {@code run}): runs attached; returns the exit code. */
    int startAttached(String id, Attach attach) {
        Launch l;
        ProcessLock lock = store.lock(id);
        try {
            if (store.state(id).running()) {
                throw AndockException.conflict("container " + id + " is already running: attaching to a running container is not supported");
            }
            l = prepare(id);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        ContainerSpec spec = l.record.spec();
        ContainerDir dir = store.dir(id);
        boolean[] unlocked = {false};
        LogConfig logConfig = spec.effectiveLogConfig();
        if (logConfig.keepsLogs()) LogFile.prepare(dir.log());
        try {
            return Attacher.run(monitor.argv(dir, false, l.cleanup, l.argv), attach, spec.tty(), spec.openStdin(),
                    logConfig.keepsLogs() ? dir.log() : null, logConfig, !spec.tty(), sig -> signals.kill(id, sig), p -> {
                        started(id, p, l.driver);
                        lock.close();
                        unlocked[0] = true;
                    }, dir.tty(), l.driver.makesTerminal());
        } catch (RuntimeException e) {
            if (!unlocked[0]) networks.down(dir); // the monitor never ran: nobody else will undo the network
            throw e;
        } finally {
            if (!unlocked[0]) lock.close();
        }
    }

    private record Launch(ContainerRecord record, Driver driver, List<String> argv, List<String> cleanup) {}

    /** Mounts the rootfs, checks the command (126/127 recorded in the state), clears the last run's files. */
    private Launch prepare(String id) {
        ContainerRecord r = store.record(id);
        ContainerDir dir = store.dir(id);
        Driver driver = drivers.get(r.driver());
        io.andock.Trace.phase("start: record, lock");
        ContainerRootfs.ensureMounted(dir, r.rootfsMode(), Path.of(r.imageRootfs()));
        try {
            ProcessResolver.prepareStart(dir.rootfs(), r.process());
        } catch (AndockException e) {
            if (ContainerRootfs.OVERLAY.equals(r.rootfsMode())) ContainerRootfs.unmount(dir.rootfs());
            store.writeState(id, new ContainerState("exited", 0, 0, 0, "", ExecFailure.exitCode(e),
                    ContainerState.ZERO_TIME, io.andock.Timestamps.format(Instant.now()), e.getMessage()));
            throw e;
        }
        ExecProcesses.killAll(dir); // the last run's, still running after it ended (no pid namespace)
        try {
            Files.deleteIfExists(dir.pid());
            Files.deleteIfExists(dir.exit());
            Files.deleteIfExists(dir.tty());
        } catch (IOException e) {
            throw AndockException.wrap("start container " + id, e);
        }
        io.andock.Trace.phase("start: rootfs, command");
        List<String> argv = driver.runCommand(dir.bundle(), id);
        io.andock.Trace.phase("start: driver command");
        List<String> cleanup = new ArrayList<>();
        networks.down(dir); // the last run's, if its monitor died before undoing it
        Path teardown;
        try {
            teardown = networks.up(id, dir, r);
        } catch (AndockException e) {
            if (ContainerRootfs.OVERLAY.equals(r.rootfsMode())) ContainerRootfs.unmount(dir.rootfs());
            throw e;
        }
        if (teardown != null) cleanup.addAll(List.of("--on-exit", teardown.toString()));
        if (ContainerRootfs.OVERLAY.equals(r.rootfsMode())) cleanup.addAll(List.of("--umount", dir.rootfs().toString()));
        if (Health.prepare(dir, r)) cleanup.add("--health"); // (the monitor's options, not only its cleanup)
        if (r.spec().autoRemove()) {
            cleanup.add("--remove");
            for (String v : r.anonymousVolumes()) cleanup.addAll(List.of("--remove-path", volumes.dataDir(v).getParent().toString()));
        }
        io.andock.Trace.phase("start: network, health");
        return new Launch(r, driver, argv, cleanup);
    }

    private static List<String> withSetsid(List<String> argv) {
        String setsid = HostTools.find("setsid");
        if (setsid == null) return argv;
        List<String> out = new ArrayList<>();
        out.add(setsid);
        out.addAll(argv);
        return out;
    }

    /**
     * Waits for the monitor's {@code pid} file and for the driver to have started the container's own process
     * ({@link Driver#awaitRunning}), then records the container as running: when {@code start} answers, an exec,
     * a pause or a kill reaches the container, as with Docker.
     */
    private void started(String id, Process monitorProcess, Driver driver) {
        Path pidFile = store.dir(id).pid();
        long deadline = System.nanoTime() + 30_000_000_000L;
        long pid = 0;
        while (pid == 0) {
            try {
                pid = Long.parseLong(Files.readString(pidFile).trim());
            } catch (IOException | NumberFormatException e) {
                if (!monitorProcess.isAlive() && !Files.exists(pidFile)) {
                    ContainerDir dir = store.dir(id);
                    if (!Files.isDirectory(dir.path()) || Files.exists(dir.exit())) return; // ran, exited (and --rm'd) already
                    throw new AndockException(AndockException.Kind.INTERNAL, "container " + id + ": monitor exited with "
                            + monitorProcess.exitValue() + " before starting it; see its log");
                }
                if (System.nanoTime() > deadline) throw new AndockException(AndockException.Kind.UNAVAILABLE, "container did not start in 30 s");
                Interruptible.sleep(1);
            }
        }
        driver.awaitRunning(store.dir(id).bundle(), id, pid, deadline);
        long mpid = monitorProcess.pid();
        store.writeState(id, new ContainerState("running", pid, mpid, ProcessTable.startTime(mpid), ProcessTable.bootId(), 0,
                io.andock.Timestamps.format(Instant.now()), ContainerState.ZERO_TIME, ""));
        io.andock.Trace.phase("start: running recorded");
        ContainerDir dir = store.dir(id);
        if (Files.isDirectory(dir.health())) Health.arm(dir, store.record(id), id, driver, pid);
    }
}
