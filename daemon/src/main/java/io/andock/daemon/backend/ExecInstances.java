package io.andock.daemon.backend;

import io.andock.AndockException;
import io.andock.daemon.backend.ContainerBackend.ExecInfo;
import io.andock.daemon.backend.ContainerBackend.Stdio;
import io.andock.task.Attach;
import io.andock.container.ExecFailure;
import io.andock.engine.Containers;
import io.andock.task.ExecSpec;
import io.andock.task.Pty;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * The API's exec instances: {@code docker exec} creates one, starts it (attached or detached), then asks for its
 * exit code. Only the daemon knows them (core runs an exec and returns its code). A finished instance is
 * forgotten {@link #KEEP_MILLIS} after it ended: clients ask right after, and a daemon that runs health checks
 * for weeks must not keep them all.
 */
final class ExecInstances {
    static final long KEEP_MILLIS = 5 * 60_000;
    private static final Logger LOG = Logger.getLogger("andock.exec");

    /** Where exec_create/exec_start/exec_die go ({@code exitCode} only for exec_die). */
    interface Events {
        void publish(String action, String containerId, Integer exitCode);
    }

    private static final class Instance {
        final String id, containerId;
        final ExecSpec spec;
        final boolean out, err;
        final Pty.Session pty = new Pty.Session(0, 0);
        volatile boolean running;
        volatile Integer exitCode;
        volatile long endedAt;

        Instance(String id, String containerId, ExecSpec spec, boolean out, boolean err) {
            this.id = id;
            this.containerId = containerId;
            this.spec = spec;
            this.out = out;
            this.err = err;
        }
    }

    private final Containers containers;
    private final Executor background;
    private final Events events;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();

    ExecInstances(Containers containers, Executor background, Events events) {
        this.containers = containers;
        this.background = background;
        this.events = events;
    }

    String create(String containerId, ExecSpec spec, boolean attachStdout, boolean attachStderr) {
        forgetOld();
        String execId = Containers.newId();
        instances.put(execId, new Instance(execId, containerId, spec, attachStdout, attachStderr));
        events.publish("exec_create: " + String.join(" ", spec.cmd()), containerId, null);
        return execId;
    }

    private void forgetOld() {
        long now = System.currentTimeMillis();
        instances.values().removeIf(e -> e.endedAt > 0 && now - e.endedAt > KEEP_MILLIS);
    }

    private Instance get(String execId) {
        Instance e = instances.get(execId);
        if (e == null) throw AndockException.notFound("No such exec instance: " + execId);
        return e;
    }

    ExecInfo info(String execId) {
        Instance e = get(execId);
        return new ExecInfo(e.id, e.containerId, e.spec, e.out, e.err, e.running, e.exitCode);
    }

    void resize(String execId, int rows, int cols) {
        get(execId).pty.resize(rows, cols);
    }

    /** Runs it attached to {@code io}; the exit code is recorded before this returns. */
    int start(String execId, Stdio io) {
        Instance e = get(execId);
        synchronized (e) {
            if (e.running || e.exitCode != null) throw AndockException.conflict("exec " + execId + " has already been started");
            e.running = true;
        }
        events.publish("exec_start: " + String.join(" ", e.spec.cmd()), e.containerId, null);
        int code;
        try {
            OutputStream out = e.out ? io.stdout() : OutputStream.nullOutputStream();
            OutputStream err = e.err ? io.stderr() : OutputStream.nullOutputStream();
            InputStream in = e.spec.stdin() ? io.stdin() : null;
            code = containers.exec(e.containerId, e.spec, Attach.withPty(in, out, err, e.pty));
        } catch (AndockException ex) {
            // dockerd records 126 for every exec that fails to start, a missing command too (a run's is 127)
            ended(e, ExecFailure.exitCode(ex) == 125 ? 125 : 126);
            throw ex;
        }
        ended(e, code);
        events.publish("exec_die", e.containerId, code);
        return code;
    }

    private static void ended(Instance e, int code) {
        e.exitCode = code;
        e.endedAt = System.currentTimeMillis();
        e.running = false;
    }

    /** Runs it with its output discarded, in the background. */
    void startDetached(String execId) {
        get(execId);
        background.execute(() -> {
            try {
                start(execId, new Stdio(null, OutputStream.nullOutputStream(), OutputStream.nullOutputStream()));
            } catch (RuntimeException e) {
                LOG.fine("detached exec " + execId + ": " + e.getMessage());
            }
        });
    }
}
