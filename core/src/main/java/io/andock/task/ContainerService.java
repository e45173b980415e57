package io.andock.task;

import io.andock.os.FileTrees;
import io.andock.container.ContainerDir;
import io.andock.container.ContainerFiles;
import io.andock.container.ContainerInspector;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerRootfs;
import io.andock.container.ContainerSpec;
import io.andock.container.LogConfig;
import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.container.ContainerView;
import io.andock.container.HealthStatus;
import io.andock.container.ImageResolver;
import io.andock.container.ListOptions;
import io.andock.container.MountSpec;
import io.andock.container.ExecFailure;
import io.andock.container.ProcessResolver;
import io.andock.container.ProcessSpec;
import io.andock.container.TreeCopy;
import io.andock.container.VolumeStore;
import io.andock.driver.Drivers;
import io.andock.os.Signals;
import io.andock.AndockException;
import io.andock.os.ProcessLock;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The container service the CLI and the API daemon call: create, run, start, stop, kill, wait, rm, exec, logs,
 * ps, inspect, prune, volumes. Stateless between calls (everything is on disk, see {@link ContainerStore}); any
 * number of andock processes may use one root at once. Detached containers run under {@link Monitor}, not a JVM.
 */
public final class ContainerService {
    private final Path root;
    private final ContainerStore store;
    private final VolumeStore volumes;
    private final Drivers drivers;
    private final ContainerCreator creator;
    private final ContainerNetworks networks;
    private final ExitWaiter waiter;
    private final ContainerSignals signals;
    private final Launcher launcher;
    private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());

    /** Without andock's networking: {@link ContainerNetworks#hostOnly()}. */
    public ContainerService(Path root, ImageResolver images, Drivers drivers) {
        this(root, images, drivers, ContainerNetworks.hostOnly());
    }

    /** With {@code networks} wiring bridge networks and published ports ({@code new io.andock.net.Networking(root)}). */
    public ContainerService(Path root, ImageResolver images, Drivers drivers, ContainerNetworks networks) {
        this(root, images, drivers, networks, LogConfig.DEFAULT);
    }

    /** As above; {@code defaultLog}: the logging driver of containers created without one (config.json). */
    public ContainerService(Path root, ImageResolver images, Drivers drivers, ContainerNetworks networks, LogConfig defaultLog) {
        this.root = root;
        this.store = new ContainerStore(root);
        this.drivers = drivers;
        this.networks = networks;
        this.volumes = new VolumeStore(root.resolve("volumes"), this::volumeUsers);
        this.creator = new ContainerCreator(store, volumes, images, drivers, networks, defaultLog);
        this.waiter = new ExitWaiter(store);
        this.signals = new ContainerSignals(store, drivers, waiter);
        this.launcher = new Launcher(store, volumes, drivers, new Monitor(root), networks, signals);
        store.sweep();
    }

    /** Renames and updates (restart policy, resources); see {@link ContainerEditor}. */
    public ContainerEditor editor() {
        return new ContainerEditor(store, drivers);
    }

    /** {@code docker top} through the host's ps; see {@link ContainerTop}. */
    public ContainerTop top() {
        return new ContainerTop(store, io.andock.os.CommandRunner.system());
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
        launcher.start(store.resolve(ref));
    }

    /** {@code start -a [-i]} (and foreground {@code run}): runs attached; returns the exit code. */
    public int startAttached(String ref, Attach attach) {
        return launcher.startAttached(store.resolve(ref), attach);
    }

    /** {@code stop -t N}: the stop signal, then SIGKILL to everything after {@code timeout} s (null: the container's, or 10). */
    public void stop(String ref, Integer timeoutSeconds) {
        stop(ref, timeoutSeconds, null);
    }

    /** {@code stop -s SIG -t N}: as {@link #stop(String, Integer)} with {@code signal} (null: the container's stop signal). */
    public void stop(String ref, Integer timeoutSeconds, String signal) {
        signals.stop(store.resolve(ref), timeoutSeconds, signal);
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
        signals.pause(store.resolve(ref));
    }

    /** {@code unpause}. */
    public void unpause(String ref) {
        signals.unpause(store.resolve(ref));
    }

    public void restart(String ref, Integer timeoutSeconds) {
        stop(ref, timeoutSeconds);
        start(ref);
    }

    /** {@code kill -s SIG}: to the container's main process. */
    public void kill(String ref, String signal) {
        signals.kill(store.resolve(ref), Signals.parse(signal == null ? "KILL" : signal));
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
        return waiter.await(id, ExitWaiter.Condition.NOT_RUNNING, () -> false, ExitWaiter.KnownExits.NONE).code();
    }

    /**
     * The API's wait: until {@code condition} holds for the container (a full id); null once {@code cancelled}
     * (the client went away). {@code known}: exit codes of runs the caller attached to. See {@link ExitWaiter}.
     */
    public ExitWaiter.Exit waitFor(String id, ExitWaiter.Condition condition, BooleanSupplier cancelled,
                                   ExitWaiter.KnownExits known) {
        return waiter.await(store.resolve(id), condition, cancelled, known);
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
                signals.killEverything(id, r, s);
            }
            ExecProcesses.killAll(store.dir(id));
            networks.down(store.dir(id));
            ContainerRootfs.unmountAll(store.dir(id).path());
            drivers.get(r.driver()).delete(store.dir(id).bundle(), id);
            store.delete(id);
        }
        if (removeVolumes) {
            for (String v : r.anonymousVolumes()) FileTrees.removeTree(volumes.dataDir(v).getParent());
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
        ProcessSpec p;
        try {
            p = ProcessResolver.resolveExec(dir.rootfs(), r.process(), exec.cmd(), exec.env(), exec.user(),
                    exec.workingDir(), exec.tty());
        } catch (AndockException e) {
            // dockerd: an exec that cannot start exits 126, a missing command too (only a container's own is 127)
            if (ExecFailure.exitCode(e) != 127) throw e;
            throw new AndockException(e.kind(), e.getMessage(), new ExecFailure(126, e.getMessage()));
        }
        List<String> argv = drivers.get(r.driver()).execCommand(dir.bundle(), id, s.pid(), p.toJson());
        Path tty = dir.execTty(Long.toHexString(System.nanoTime()));
        try {
            long[] pid = {0};
            try {
                return Attacher.run(argv, attach, exec.tty(), exec.stdin(), null, LogConfig.DEFAULT, false, sig -> { },
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

    /**
     * The stdin of a detached container started with {@code -i}: writes go to its stdin fifo, which its monitor holds
     * open read-write, so closing this stream never gives the container EOF (as with Docker's attach to a running
     * container). Empty when the container keeps no stdin.
     */
    public Optional<OutputStream> openStdin(String ref) {
        ContainerDir dir = store.dir(store.resolve(ref));
        if (!Files.exists(dir.stdinFifo())) return Optional.empty();
        try {
            return Optional.of(Files.newOutputStream(dir.stdinFifo(), java.nio.file.StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw AndockException.wrap("open stdin of " + ref, e);
        }
    }

    /** {@code resize}: the size of a container's pty ({@link Pty}); nothing when it has none. */
    public void resize(String ref, int rows, int cols) {
        Path tty = store.dir(store.resolve(ref)).tty();
        if (Files.exists(tty)) Pty.resize(tty, rows, cols);
    }

    public ContainerView get(String ref) {
        String id = store.resolve(ref);
        return new ContainerView(store.record(id), store.state(id), HealthStatus.read(store.dir(id)));
    }

    /** {@code ps}: newest first. */
    public List<ContainerView> list(ListOptions options) {
        return ContainerInspector.list(store, options);
    }

    /** {@code inspect}: close to {@code docker container inspect}'s JSON. */
    public Map<String, Object> inspect(String ref) {
        String id = store.resolve(ref);
        ContainerRecord r = store.record(id);
        return ContainerInspector.inspect(new ContainerView(r, store.state(id), HealthStatus.read(store.dir(id))), store.dir(id), volumes,
                networks.settings(store.dir(id), r));
    }

    /**
     * {@code logs [-f] [--tail N] [-t] [--since T] [--until T]}: the container's stdout to {@code out}, its stderr
     * to {@code err} (both to {@code out} for a TTY, which has one stream), see {@link ContainerLogs}.
     */
    public void logs(String ref, LogOptions options, OutputStream out, OutputStream err) {
        logs(ref, options, out, err, () -> false);
    }

    /** {@link #logs(String, LogOptions, OutputStream, OutputStream)} whose following ends once {@code cancelled}. */
    public void logs(String ref, LogOptions options, OutputStream out, OutputStream err, BooleanSupplier cancelled) {
        String id = store.resolve(ref);
        if (!store.record(id).spec().effectiveLogConfig().keepsLogs()) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED, "configured logging driver does not support reading");
        }
        ContainerLogs.copy(store.dir(id).log(), options, out, err, () -> {
            if (cancelled.getAsBoolean()) return false; // followed as if the container had stopped
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

    public Path root() {
        return root;
    }
}
