package io.andock.task;

import io.andock.os.Interruptible;
import io.andock.container.ContainerDir;
import io.andock.container.ContainerFiles;
import io.andock.container.ContainerInspector;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerRootfs;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.container.ContainerView;
import io.andock.container.ExecFailure;
import io.andock.container.ImageResolver;
import io.andock.container.ListOptions;
import io.andock.container.MountSpec;
import io.andock.container.ProcessResolver;
import io.andock.container.ProcessSpec;
import io.andock.container.TreeCopy;
import io.andock.container.VolumeStore;
import io.andock.driver.Driver;
import io.andock.driver.Drivers;
import io.andock.os.HostTools;
import io.andock.os.ProcessTable;
import io.andock.os.Signals;
import io.andock.AndockException;
import io.andock.content.ProcessLock;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The container service the CLI and the API daemon call: create, run, start, stop, kill, wait, rm, exec, logs,
 * ps, inspect, prune, volumes. Stateless between calls (everything is on disk, see {@link ContainerStore}); any
 * number of andock processes may use one root at once. Detached containers run under {@link Monitor}, not a JVM.
 */
public final class ContainerService {
    static final int DEFAULT_STOP_TIMEOUT = 10;
    /** As the monitor's --stdin-fifo: read-write, so stdin stays open (docker -i) until the container exits. */
    private static final String STDIN_FIFO = "[ -p \"$0\" ] || mkfifo -m 600 \"$0\"; exec 0<>\"$0\"; exec \"$@\"";
    private final Path root;
    private final ContainerStore store;
    private final VolumeStore volumes;
    private final Drivers drivers;
    private final ContainerCreator creator;
    private final Monitor monitor;
    private final ContainerNetworks networks;
    private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());

    /** Without andock's networking: {@link ContainerNetworks#hostOnly()}. */
    public ContainerService(Path root, ImageResolver images, Drivers drivers) {
        this(root, images, drivers, ContainerNetworks.hostOnly());
    }

    /** With {@code networks} wiring bridge networks and published ports ({@code new io.andock.net.Networking(root)}). */
    public ContainerService(Path root, ImageResolver images, Drivers drivers, ContainerNetworks networks) {
        this.root = root;
        this.store = new ContainerStore(root);
        this.drivers = drivers;
        this.networks = networks;
        this.volumes = new VolumeStore(root.resolve("volumes"), this::volumeUsers);
        this.creator = new ContainerCreator(store, volumes, images, drivers, networks);
        this.monitor = new Monitor(root);
        store.sweep();
    }

    public VolumeStore volumes() {
        return volumes;
    }

    /** {@code create}: returns the new container's id. */
    public String create(ContainerSpec spec) {
        long now = System.currentTimeMillis(), last = lastSweep.get();
        if (now - last > 60_000 && lastSweep.compareAndSet(last, now)) store.sweep(); // a long-lived daemon too
        return creator.create(spec);
    }

    /** {@code run} in the foreground: create, start attached, wait; returns the container's exit code. */
    public int run(ContainerSpec spec, Attach attach) {
        String id = create(spec);
        try {
            return startAttached(id, attach);
        } catch (AndockException e) {
            if (spec.autoRemove()) removeQuietly(id);
            throw e;
        }
    }

    /** {@code run -d}: create and start detached; returns the id. */
    public String runDetached(ContainerSpec spec) {
        String id = create(spec);
        try {
            start(id);
        } catch (AndockException e) {
            if (spec.autoRemove()) removeQuietly(id);
            throw e;
        }
        return id;
    }

    /** {@code start}: runs the container detached under its monitor; a running container is left alone. */
    public void start(String ref) {
        String id = store.resolve(ref);
        try (ProcessLock lock = store.lock(id)) {
            if (store.state(id).running()) return;
            Launch l = prepare(id);
            ContainerDir dir = store.dir(id);
            LogFile.prepare(dir.log());
            ContainerSpec spec = l.record.spec();
            List<String> argv;
            if (spec.tty() && Pty.available()) {
                // the pty is script's, so stdin (the fifo of -i, else nothing) is fed to script, not to the monitor
                List<String> onPty = Pty.wrap(monitor.argv(dir, false, l.cleanup, l.argv), dir.tty(), 0, 0,
                        l.driver.makesTerminal());
                // without -i too: script would turn EOF on its stdin into a byte for the container
                argv = new ArrayList<>(List.of(HostTools.sh(), "-c", STDIN_FIFO, dir.stdinFifo().toString()));
                argv.addAll(onPty);
            } else {
                argv = monitor.argv(dir, spec.openStdin(), true, l.cleanup, l.argv);
            }
            File log = dir.log().toFile();
            ProcessBuilder pb = new ProcessBuilder(withSetsid(argv))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            try {
                started(id, spec.tty() ? startTtyLogged(pb, log, id) : pb.start());
            } catch (IOException | RuntimeException e) {
                networks.down(dir);
                throw e;
            }
        } catch (IOException e) {
            throw AndockException.wrap("start container " + ref, e);
        }
    }

    /**
     * A TTY's one stream (script's output, or the monitor's without a pty) through the chunk writer of
     * {@link Monitor#logArgv} into {@code log}: a pipe between two processes of their own, no JVM behind them.
     */
    private Process startTtyLogged(ProcessBuilder pb, File log, String id) throws IOException {
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "andock-log-" + id);
        ProcessBuilder writer = new ProcessBuilder(withSetsid(monitor.logArgv(tmp)))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).redirectError(ProcessBuilder.Redirect.DISCARD);
        return ProcessBuilder.startPipeline(List.of(pb, writer)).get(0);
    }

    /** {@code start -a [-i]} (and foreground {@code run}): runs attached; returns the exit code. */
    public int startAttached(String ref, Attach attach) {
        String id = store.resolve(ref);
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
        LogFile.prepare(dir.log());
        try {
            return Attacher.run(monitor.argv(dir, false, l.cleanup, l.argv), attach, spec.tty(), spec.openStdin(),
                    dir.log(), !spec.tty(), sig -> kill(id, sig), p -> {
                        started(id, p);
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
        ContainerRootfs.ensureMounted(dir, r.rootfsMode(), Path.of(r.imageRootfs()));
        try {
            ProcessResolver.prepareStart(dir.rootfs(), r.process());
        } catch (AndockException e) {
            if (ContainerRootfs.OVERLAY.equals(r.rootfsMode())) ContainerRootfs.unmount(dir.rootfs());
            store.writeState(id, new ContainerState("exited", 0, 0, 0, "", ExecFailure.exitCode(e),
                    ContainerState.ZERO_TIME, Instant.now().toString(), e.getMessage()));
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
        List<String> argv = driver.runCommand(dir.bundle(), id);
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
        if (r.spec().autoRemove()) {
            cleanup.add("--remove");
            for (String v : anonymousVolumes(r)) cleanup.addAll(List.of("--remove-path", volumes.dataDir(v).getParent().toString()));
        }
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

    /** Waits for the monitor's {@code pid} file, then records the container as running. */
    private void started(String id, Process monitorProcess) {
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
        long mpid = monitorProcess.pid();
        store.writeState(id, new ContainerState("running", pid, mpid, ProcessTable.startTime(mpid), ProcessTable.bootId(), 0,
                Instant.now().toString(), ContainerState.ZERO_TIME, ""));
    }

    /** {@code stop -t N}: the stop signal, then SIGKILL to everything after {@code timeout} s (null: the container's, or 10). */
    public void stop(String ref, Integer timeoutSeconds) {
        stop(ref, timeoutSeconds, null);
    }

    /** {@code stop -s SIG -t N}: as {@link #stop(String, Integer)} with {@code signal} (null: the container's stop signal). */
    public void stop(String ref, Integer timeoutSeconds, String signal) {
        String id = store.resolve(ref);
        ContainerRecord r = store.record(id);
        ContainerState s = store.state(id);
        if (!s.running()) return;
        int t = timeoutSeconds != null ? timeoutSeconds : r.spec().stopTimeout() != null ? r.spec().stopTimeout() : DEFAULT_STOP_TIMEOUT;
        thawIfPaused(id);
        Driver d = drivers.get(r.driver());
        d.kill(store.dir(id).bundle(), id, s.pid(), signal == null || signal.isEmpty() ? r.stopSignal() : Signals.parse(signal), false);
        if (!awaitExit(id, t * 1000L)) {
            d.kill(store.dir(id).bundle(), id, s.pid(), Signals.KILL, true);
            awaitExit(id, 10_000);
        }
        ExecProcesses.killAll(store.dir(id));
    }

    /** For {@code docker cp}: the container's root filesystem (mounted if needed) and its mounted directories. */
    public ContainerFiles files(String ref) {
        String id = store.resolve(ref);
        ContainerRecord r = store.record(id);
        ContainerDir dir = store.dir(id);
        ContainerRootfs.ensureMounted(dir, r.rootfsMode(), Path.of(r.imageRootfs()));
        List<ContainerFiles.Mount> mounts = new ArrayList<>();
        for (MountSpec m : r.mounts()) {
            if (m.source() == null || m.type().equals(MountSpec.TMPFS)) continue;
            Path source = m.type().equals(MountSpec.VOLUME) ? volumes.dataDir(m.source()) : Path.of(m.source());
            String target = Path.of(m.target()).normalize().toString();
            mounts.add(new ContainerFiles.Mount(target, source, m.readOnly()));
        }
        for (Path f : dir.etcFiles()) { // EtcFiles, bound over the image's
            if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                mounts.add(new ContainerFiles.Mount("/etc/" + f.getFileName(), f, false));
            }
        }
        return new ContainerFiles(id, r.name(), dir.rootfs(), mounts);
    }

    /** Holds the container still while its files are copied ({@link FrozenContainer}); close it to resume. */
    public FrozenContainer freeze(String ref) {
        return FrozenContainer.freeze(store, drivers, store.resolve(ref));
    }

    /** {@code pause}: freezes every process of a running container (the driver's way; proot cannot). */
    public void pause(String ref) {
        String id = store.resolve(ref);
        try (ProcessLock lock = store.lock(id)) {
            ContainerRecord r = store.record(id);
            ContainerState s = store.state(id);
            if (!s.running()) throw AndockException.conflict("Container " + id + " is not running");
            if (s.status().equals("paused")) throw AndockException.conflict("Container " + id + " is already paused");
            drivers.get(r.driver()).pause(store.dir(id).bundle(), id, s.pid(), true);
            store.writeState(id, withStatus(s, "paused"));
        }
    }

    /** {@code unpause}. */
    public void unpause(String ref) {
        String id = store.resolve(ref);
        try (ProcessLock lock = store.lock(id)) {
            thaw(id);
        }
    }

    /** Thaws a paused container (nothing otherwise): signals, even SIGKILL, wait on a frozen process. */
    private void thaw(String id) {
        ContainerState s = store.state(id);
        if (!s.status().equals("paused")) {
            if (!s.running()) throw AndockException.conflict("Container " + id + " is not running");
            throw AndockException.conflict("Container " + id + " is not paused");
        }
        drivers.get(store.record(id).driver()).pause(store.dir(id).bundle(), id, s.pid(), false);
        store.writeState(id, withStatus(s, "running"));
    }

    private void thawIfPaused(String id) {
        if (store.state(id).status().equals("paused")) thaw(id);
    }

    private static ContainerState withStatus(ContainerState s, String status) {
        return new ContainerState(status, s.pid(), s.monitorPid(), s.monitorStart(), s.bootId(), s.exitCode(), s.startedAt(),
                s.finishedAt(), s.error());
    }

    public void restart(String ref, Integer timeoutSeconds) {
        stop(ref, timeoutSeconds);
        start(ref);
    }

    /** {@code kill -s SIG}: to the container's main process. */
    public void kill(String ref, String signal) {
        kill(store.resolve(ref), Signals.parse(signal == null ? "KILL" : signal));
    }

    private void kill(String id, int signal) {
        ContainerState s = store.state(id);
        ContainerRecord r = store.record(id);
        if (!s.running()) {
            throw AndockException.conflict("Cannot kill container: " + r.name() + ": container " + id + " is not running");
        }
        if (s.status().equals("paused")) thaw(id);
        drivers.get(r.driver()).kill(store.dir(id).bundle(), id, s.pid(), signal, false);
    }

    /**
     * {@code wait}: blocks until the container is not running; its exit code. An auto-removed container's code
     * comes from its tombstone ({@link ContainerStore#tombstone}), even when it is gone before the call (by full id).
     */
    public int waitFor(String ref) {
        String id;
        try {
            id = store.resolve(ref);
        } catch (AndockException e) {
            Integer code = e.kind() == AndockException.Kind.NOT_FOUND ? store.tombstone(ref) : null;
            if (code != null) return code;
            throw e;
        }
        int last = 0;
        while (true) {
            try {
                ContainerState s = store.state(id);
                if (!s.running()) return s.exitCode();
                ContainerStore.Exit e = store.exit(id);
                if (e != null) last = e.code();
            } catch (AndockException e) {
                if (e.kind() != AndockException.Kind.NOT_FOUND) throw e;
                Integer code = store.tombstone(id); // removed by --rm
                return code != null ? code : last;
            }
            Interruptible.sleep(20);
        }
    }

    private boolean awaitExit(String id, long ms) {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (true) {
            try {
                if (!store.state(id).running()) return true;
            } catch (AndockException e) {
                if (e.kind() == AndockException.Kind.NOT_FOUND) return true;
                throw e;
            }
            if (System.nanoTime() > deadline) return false;
            Interruptible.sleep(10);
        }
    }

    /** {@code rm [-f] [-v]}: refuses a running container without force; {@code volumes} also removes anonymous ones. */
    public void remove(String ref, boolean force, boolean removeVolumes) {
        String id = store.resolve(ref);
        ContainerRecord r = store.record(id);
        try (ProcessLock lock = store.lock(id)) {
            ContainerState s = store.state(id);
            if (s.running()) {
                if (!force) {
                    throw AndockException.conflict("cannot remove container \"/" + r.name()
                            + "\": container is running: stop the container before removing or force remove");
                }
                thawIfPaused(id);
                drivers.get(r.driver()).kill(store.dir(id).bundle(), id, s.pid(), Signals.KILL, true);
                awaitExit(id, 10_000);
            }
            ExecProcesses.killAll(store.dir(id));
            networks.down(store.dir(id));
            ContainerRootfs.unmountAll(store.dir(id).path());
            drivers.get(r.driver()).delete(store.dir(id).bundle(), id);
            store.delete(id);
        }
        if (removeVolumes) {
            for (String v : anonymousVolumes(r)) TreeCopy.delete(volumes.dataDir(v).getParent());
        }
    }

    private void removeQuietly(String id) {
        try {
            remove(id, true, true);
        } catch (AndockException ignored) {
            // already gone
        }
    }

    /** {@code container prune}: removes every container that is not running; returns their ids. */
    public List<String> prune() {
        List<String> out = new ArrayList<>();
        for (ContainerView v : list(ListOptions.ALL)) {
            if (v.state().running()) continue;
            try {
                remove(v.id(), false, false);
                out.add(v.id());
            } catch (AndockException ignored) {
                // started or removed meanwhile
            }
        }
        return out;
    }

    /** {@code exec}: runs one more process in a running container; its exit code. */
    public int exec(String ref, ExecSpec exec, Attach attach) {
        String id = store.resolve(ref);
        ContainerRecord r = store.record(id);
        ContainerState s = store.state(id);
        if (!s.running()) throw AndockException.conflict("container " + id + " is not running");
        if (s.status().equals("paused")) throw AndockException.conflict("container " + id + " is paused, unpause the container before exec");
        ContainerDir dir = store.dir(id);
        ProcessSpec p = ProcessResolver.resolveExec(dir.rootfs(), r.process(), exec.cmd(), exec.env(), exec.user(),
                exec.workingDir(), exec.tty());
        List<String> argv = drivers.get(r.driver()).execCommand(dir.bundle(), id, s.pid(), p.toJson());
        Path tty = dir.execTty(Long.toHexString(System.nanoTime()));
        try {
            long[] pid = {0};
            try {
                return Attacher.run(argv, attach, exec.tty(), exec.stdin(), null, false, sig -> { },
                        proc -> ExecProcesses.record(dir, pid[0] = proc.pid()), tty, drivers.get(r.driver()).makesTerminal());
            } finally {
                if (pid[0] != 0) ExecProcesses.forget(dir, pid[0]);
            }
        } finally {
            try {
                Files.deleteIfExists(tty);
            } catch (IOException ignored) {
                // the container dir may be gone (--rm)
            }
        }
    }

    /** {@code resize}: the size of a container's pty ({@link Pty}); nothing when it has none. */
    public void resize(String ref, int rows, int cols) {
        Path tty = store.dir(store.resolve(ref)).tty();
        if (Files.exists(tty)) Pty.resize(tty, rows, cols);
    }

    public ContainerView get(String ref) {
        String id = store.resolve(ref);
        return new ContainerView(store.record(id), store.state(id));
    }

    /** {@code ps}: newest first. */
    public List<ContainerView> list(ListOptions options) {
        return ContainerInspector.list(store, options);
    }

    /** {@code inspect}: close to {@code docker container inspect}'s JSON. */
    public Map<String, Object> inspect(String ref) {
        String id = store.resolve(ref);
        ContainerRecord r = store.record(id);
        return ContainerInspector.inspect(new ContainerView(r, store.state(id)), store.dir(id), volumes,
                networks.settings(store.dir(id), r));
    }

    /**
     * {@code logs [-f] [--tail N] [-t] [--since T] [--until T]}: the container's stdout to {@code out}, its stderr
     * to {@code err} (both to {@code out} for a TTY, which has one stream), see {@link ContainerLogs}.
     */
    public void logs(String ref, LogOptions options, OutputStream out, OutputStream err) {
        String id = store.resolve(ref);
        ContainerLogs.copy(store.dir(id).log(), options, out, err, () -> {
            try {
                return store.state(id).running();
            } catch (AndockException e) {
                return false;
            }
        });
    }

    private List<String> volumeUsers(String name) {
        List<String> out = new ArrayList<>();
        for (String id : store.ids()) {
            ContainerRecord r = store.recordOrNull(id);
            if (r != null && r.mounts().stream().anyMatch(m -> m.type().equals(MountSpec.VOLUME) && name.equals(m.source()))) out.add(id);
        }
        return out;
    }

    private static List<String> anonymousVolumes(ContainerRecord r) {
        List<String> out = new ArrayList<>();
        for (MountSpec m : r.mounts()) {
            boolean named = r.spec().mounts().stream().anyMatch(s -> s.source() != null && s.source().equals(m.source()));
            if (m.type().equals(MountSpec.VOLUME) && !named) out.add(m.source());
        }
        return out;
    }

    public Path root() {
        return root;
    }
}
