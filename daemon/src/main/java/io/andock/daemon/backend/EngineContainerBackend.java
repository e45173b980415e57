package io.andock.daemon.backend;

import io.andock.AndockException;
import io.andock.engine.Containers;
import io.andock.engine.Volumes;
import io.andock.task.Attach;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerView;
import io.andock.container.RestartPolicy;
import io.andock.container.ExecFailure;
import io.andock.task.ExecSpec;
import io.andock.container.ListOptions;
import io.andock.task.LogOptions;
import io.andock.task.ExitWaiter;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * {@link ContainerBackend} over the engine's {@link Containers} façade, adding what only a daemon has: attach
 * sessions, events, remembered exits. Containers started with an attach session run
 * as children of the daemon (core can only attach at start); all others run detached under their monitor and
 * survive a daemon restart.
 */
public final class EngineContainerBackend implements ContainerBackend {
    private static final Logger LOG = Logger.getLogger("andock.containers");
    private final io.andock.engine.Engine engine;
    private final Containers core;
    /** The HostConfig a client sent at create, kept beside the container for inspect. */
    private static final String API_HOST_CONFIG = "api-hostconfig.json";
    private final ExecutorService background;
    private final Events events = new Events();
    private final AttachSessions sessions = new AttachSessions();
    /** Exit codes of attached runs and failed starts, for waits that come after a --rm removal; the newest 1024. */
    private final Map<String, Integer> lastExit = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > 1024;
        }
    });
    /** Containers running attached to a session, whose exit code arrives when core's startAttached returns. */
    private final Set<String> attachedRuns = ConcurrentHashMap.newKeySet();
    private final ExecInstances execs;
    final Map<String, Integer> restarts = new ConcurrentHashMap<>();
    private final Path stoppedDir;
    /** For core's wait: a run attached to a session reports its code when core's startAttached returns. */
    private final ExitWaiter.KnownExits knownExits = new ExitWaiter.KnownExits() {
        @Override
        public Integer code(String id) {
            return lastExit.get(id);
        }

        @Override
        public boolean pending(String id) {
            return attachedRuns.contains(id);
        }
    };

    public EngineContainerBackend(io.andock.engine.Engine engine, ExecutorService background) {
        this.engine = engine;
        this.core = engine.containers();
        this.background = background;
        this.stoppedDir = engine.config().root().resolve("daemon").resolve("stopped");
        this.execs = new ExecInstances(core, background,
                (action, id, code) -> publish(action, id, code == null ? attrs(id) : withExit(attrs(id), code)));
    }

    @Override
    public Events events() {
        return events;
    }

    @Override
    public Volumes volumes() {
        return core.volumes();
    }

    @Override
    public String resolve(String ref) {
        return core.resolve(ref);
    }

    private Map<String, String> attrs(String id) {
        try {
            var r = core.get(id).record();
            Map<String, String> a = new java.util.LinkedHashMap<>(r.spec().labels());
            a.put("image", r.spec().image());
            a.put("name", r.name());
            return a;
        } catch (AndockException e) {
            return Map.of();
        }
    }

    void publish(String action, String id, Map<String, String> attributes) {
        events.publish("container", action, id, attributes);
    }

    @Override
    public String create(ContainerSpec spec) {
        String id = core.create(spec);
        publish("create", id, attrs(id));
        return id;
    }

    /** Core's start (detached). */
    void startDetached(String id) {
        core.start(id);
    }

    @Override
    public boolean start(String ref) {
        String id = core.resolve(ref);
        ContainerView v = get(id);
        if (v.state().running()) return false;
        markStopped(id, false);
        lastExit.remove(id); // the last run's: a wait for this run must not see it before this run's code arrives
        Map<String, String> attrs = attrs(id);
        AttachSessions.Session s = sessions.claim(id);
        if (s == null) {
            try {
                core.start(id);
            } catch (AndockException e) {
                failedStart(id, v.record().spec(), e);
                throw e;
            }
            publish("start", id, attrs);
            return true;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        attachedRuns.add(id);
        // the pty starts at the client's size from create (HostConfig.ConsoleSize); its resize comes after start
        var spec = v.record().spec();
        background.execute(() -> {
            try {
                int code = core.startAttached(id, Attach.withPty(s.io.stdin(), s.io.stdout(), s.io.stderr(),
                        new io.andock.task.Pty.Session(spec.consoleHeight(), spec.consoleWidth())));
                lastExit.put(id, code);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                attachedRuns.remove(id);
                finished.countDown();
                s.finished(); // after startAttached returned: the process has exited and its output is copied
            }
        });
        // return once it runs, or once it ended (fast commands), or with its start failure
        try {
            while (!finished.await(5, TimeUnit.MILLISECONDS)) {
                try {
                    if (core.state(id).running()) break;
                } catch (AndockException e) {
                    break; // removed already (--rm of a fast command)
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t != null) {
            failedStart(id, v.record().spec(), t);
            if (t instanceof RuntimeException r) throw r;
            throw new AndockException(AndockException.Kind.INTERNAL, t.toString(), t);
        }
        publish("start", id, attrs);
        return true;
    }

    static Map<String, String> withExit(Map<String, String> attrs, int code) {
        Map<String, String> a = new java.util.LinkedHashMap<>(attrs);
        a.put("exitCode", Integer.toString(code));
        return a;
    }

    /** Docker's behaviour after a failed start: the exit code is 126/127/125, and --rm removes the container. */
    private void failedStart(String id, ContainerSpec spec, Throwable t) {
        lastExit.put(id, ExecFailure.exitCode(t));
        if (spec.autoRemove()) {
            try {
                core.remove(id, true, true);
                publish("destroy", id, Map.of());
            } catch (AndockException ignored) {
                // gone already
            }
        }
    }

    @Override
    public Attachment attach(String ref, Stdio io, boolean logs, boolean stream) {
        String id = core.resolve(ref);
        ContainerView v = get(id);
        // the replay is written from await: the client's streams are usable once the reply has gone out
        boolean kept = v.record().spec().effectiveLogConfig().keepsLogs(); // log driver none: nothing to replay
        Runnable replay = logs && kept ? () -> core.logs(id, new LogOptions(false, -1, false), io.stdout(), io.stderr()) : () -> { };
        if (!stream) return (gone, detached) -> replay.run();
        if (v.state().running()) {
            // a detached container: its output from now on (from its log), its stdin through its fifo (-i)
            if (io.stdin() != null && v.record().spec().openStdin()) feedStdin(id, io.stdin());
            return (gone, detached) -> {
                try {
                    replay.run();
                    // until the container stops, the client's writes fail, or it detaches (a half-close is no end)
                    core.logs(id, new LogOptions(true, 0, false), io.stdout(), io.stderr(), detached);
                } catch (AndockException e) {
                    // the client went away or the container did
                }
            };
        }
        AttachSessions.Session s = sessions.register(id, io);
        return (gone, detached) -> {
            try {
                replay.run();
                sessions.await(id, s, gone, detached, this::exists);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private boolean exists(String id) {
        return core.exists(id);
    }

    /** Copies the client's stdin into a detached container's stdin until the client's EOF (the container sees none). */
    private void feedStdin(String id, InputStream in) {
        background.execute(() -> {
            try (OutputStream out = core.openStdin(id).orElse(null)) {
                if (out == null) return;
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (java.io.IOException | AndockException e) { // also DetachKeys.Detached: the fifo stays open
                LOG.fine("attach stdin: " + e);
            }
        });
    }

    @Override
    public void resize(String ref, int rows, int cols) {
        core.resize(core.resolve(ref), rows, cols);
    }

    @Override
    public void execResize(String execId, int rows, int cols) {
        execs.resize(execId, rows, cols);
    }

    @Override
    public WaitResult await(String ref, ExitWaiter.Condition condition, BooleanSupplier gone) {
        ExitWaiter.Exit e = core.waitFor(ref, condition, gone, knownExits);
        if (e == null) return null;
        return new WaitResult(e.code(), e.error().isEmpty() ? null : e.error());
    }

    @Override
    public boolean stop(String ref, Integer timeoutSeconds, String signal) {
        String id = core.resolve(ref);
        markStopped(id, true); // an ended one too: its pending restart is cancelled, as Docker's stop of a restarting one
        if (!core.state(id).running()) return false;
        Map<String, String> attrs = attrs(id);
        publish("kill", id, attrs);
        core.stop(id, timeoutSeconds, signal);
        publish("stop", id, attrs);
        return true;
    }

    @Override
    public void kill(String ref, String signal) {
        String id = core.resolve(ref);
        core.kill(id, signal == null || signal.isEmpty() ? "KILL" : signal);
        Map<String, String> a = new java.util.LinkedHashMap<>(attrs(id));
        a.put("signal", signal == null || signal.isEmpty() ? "KILL" : signal);
        publish("kill", id, a);
    }

    @Override
    public void pause(String ref, boolean frozen) {
        String id = core.resolve(ref);
        if (frozen) core.pause(id);
        else core.unpause(id);
        publish(frozen ? "pause" : "unpause", id, attrs(id));
    }

    @Override
    public void restart(String ref, Integer timeoutSeconds) {
        String id = core.resolve(ref);
        stop(id, timeoutSeconds, null);
        markStopped(id, false);
        startDetached(id);
        publish("restart", id, attrs(id));
    }

    @Override
    public void removeLink(String link) {
        core.removeLink(link);
    }

    @Override
    public void remove(String ref, boolean force, boolean volumes) {
        String id = core.resolve(ref);
        Map<String, String> attrs = attrs(id);
        if (!force) {
            ContainerView v = get(id);
            if ("exited".equals(v.state().status()) && policyRestarts(v)) { // ended, its restart due: dockerd's refusal
                throw AndockException.conflict("cannot remove container \"/" + v.name().replaceFirst("^/", "")
                        + "\": container is restarting: stop the container before removing or force remove");
            }
        }
        core.remove(id, force, volumes);
        sessions.removed(id);
        markStopped(id, false);
        restarts.remove(id);
        publish("destroy", id, attrs);
    }

    @Override
    public List<String> prune() {
        List<String> ids = core.prune();
        for (String id : ids) publish("destroy", id, Map.of());
        return ids;
    }

    @Override
    public ContainerView get(String ref) {
        return core.get(ref);
    }

    @Override
    public List<ContainerView> list(ListOptions options) {
        return core.list(options);
    }

    @Override
    public Map<String, Object> inspect(String ref) {
        return core.inspect(ref);
    }

    @Override
    public void logs(String ref, LogOptions options, OutputStream out, OutputStream err, BooleanSupplier cancelled) {
        core.logs(ref, options, out, err, cancelled);
    }

    @Override
    public io.andock.engine.PathStat statPath(String ref, String path) {
        return core.statPath(ref, path);
    }

    @Override
    public void copyOut(String ref, String path, OutputStream out) {
        core.copyOut(ref, path, false, null, out);
    }

    @Override
    public void copyIn(String ref, String path, InputStream tar, boolean copyUIDGID) {
        core.copyIn(ref, path, tar, copyUIDGID);
    }

    @Override
    public String execCreate(String ref, ExecSpec spec, boolean attachStdout, boolean attachStderr) {
        return execs.create(core.checkExecutable(ref), spec, attachStdout, attachStderr);
    }

    @Override
    public ExecInfo exec(String execId) {
        return execs.info(execId);
    }

    @Override
    public int execStart(String execId, Stdio io) {
        return execs.start(execId, io);
    }

    @Override
    public void execStartDetached(String execId) {
        execs.startDetached(execId);
    }

    @Override
    public void keepApiHostConfig(String id, Map<String, Object> hostConfig) {
        try {
            core.keepClientFile(id, API_HOST_CONFIG, hostConfig);
        } catch (AndockException e) {
            LOG.fine("keep HostConfig of " + id + ": " + e.getMessage()); // inspect shows defaults then
        }
    }

    @Override
    public Map<String, Object> apiHostConfig(String id) {
        try {
            return core.clientFile(id, API_HOST_CONFIG);
        } catch (AndockException e) {
            return Map.of();
        }
    }

    @Override
    public int restartCount(String id) {
        return restarts.getOrDefault(id, 0);
    }

    /**
     * Whether {@code v}, having ended, is one its restart policy starts again (always, unless-stopped, on-failure
     * with retries left, and not stopped by the user): the supervisor restarts it; until then Docker calls it
     * restarting, and refuses to remove it without force.
     */
    boolean policyRestarts(ContainerView v) {
        if (v.record().spec().autoRemove()) return false;
        RestartPolicy p = v.record().spec().restartPolicy();
        return switch (p.name()) {
            case "always", "unless-stopped" -> !stoppedByUser(v.id());
            case "on-failure" -> v.state().exitCode() != 0 && !stoppedByUser(v.id())
                    && (p.maxRetries() <= 0 || restartCount(v.id()) < p.maxRetries());
            default -> false;
        };
    }

    boolean stoppedByUser(String id) {
        return Files.exists(stoppedDir.resolve(id));
    }

    private void markStopped(String id, boolean stopped) {
        try {
            if (stopped) {
                Files.createDirectories(stoppedDir);
                Files.write(stoppedDir.resolve(id), new byte[0]);
            } else {
                Files.deleteIfExists(stoppedDir.resolve(id));
            }
        } catch (java.io.IOException ignored) {
            // best effort: only unless-stopped after a daemon restart depends on it
        }
    }

    Containers core() {
        return core;
    }
}
