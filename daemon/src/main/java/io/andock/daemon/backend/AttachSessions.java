package io.andock.daemon.backend;

import io.andock.daemon.backend.ContainerBackend.Stdio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Attach sessions to containers that are not running yet (docker run: create, attach, wait, start). A session is
 * first <em>pending</em>; the container's {@code start} {@linkplain #claim claims} it and runs the container attached
 * to it, then {@linkplain Session#finished finishes} it once the process has exited <em>and</em> its output has been
 * copied. Until claimed, a session ends when its client goes, when a newer attach replaces it, or when the container
 * goes (removed through the API, or by another andock on the same root); once claimed, only when its run finished,
 * whatever happens to the container's directory meanwhile: a {@code --rm} monitor removes it the moment the process
 * exits, which is before the daemon has read the last of its output. Claiming and abandoning are one atomic map
 * operation each, so a session is either run or abandoned, never both.
 */
final class AttachSessions {
    private final Map<String, Session> pending = new ConcurrentHashMap<>();

    /** One attach: its stdio and the end of the run it is attached to. */
    static final class Session {
        final Stdio io;
        private final CountDownLatch done = new CountDownLatch(1);

        Session(Stdio io) {
            this.io = io;
        }

        /** The run attached to this session has ended and its output is all written (or it never ran). */
        void finished() {
            done.countDown();
        }
    }

    /** A new pending session for container {@code id}; an older pending one ends. */
    Session register(String id, Stdio io) {
        Session s = new Session(io);
        Session old = pending.put(id, s);
        if (old != null) old.finished();
        return s;
    }

    /** The pending session of {@code id}, taken by its start (null: none); the caller must finish it. */
    Session claim(String id) {
        return pending.remove(id);
    }

    /** The container is removed: its pending session ends. */
    void removed(String id) {
        Session s = pending.remove(id);
        if (s != null) s.finished();
    }

    /**
     * Blocks until {@code s} ends (see the class comment). {@code exists} tells whether the container is still
     * there; {@code gone}, whether the client left (a half-close too: a claimed session outlives it, its output
     * still wanted); {@code detached}, whether it typed the detach keys: then a run already attached goes on
     * without it (its output to the log only, its stdin open but silent).
     */
    void await(String id, Session s, BooleanSupplier gone, BooleanSupplier detached, Predicate<String> exists)
            throws InterruptedException {
        try {
            while (!s.done.await(200, TimeUnit.MILLISECONDS)) {
                if (detached.getAsBoolean()) return;
                if (pending.get(id) != s) continue; // claimed: its run finishes it
                if ((gone.getAsBoolean() || !exists.test(id)) && pending.remove(id, s)) return; // abandoned before any start
            }
        } finally {
            pending.remove(id, s);
        }
    }
}
