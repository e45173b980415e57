package io.andock.task;

import io.andock.AndockException;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.os.ProcessLock;
import io.andock.driver.Drivers;
import io.andock.os.Signals;

/**
 * Every way the engine signals a running container, through its driver: {@code stop} (the stop signal, then
 * SIGKILL to everything after the timeout), {@code kill}, {@code pause} and {@code unpause}. A paused container is
 * thawed first, since signals, even SIGKILL, wait on a frozen process.
 */
final class ContainerSignals {
    static final int DEFAULT_STOP_TIMEOUT = 10;
    private final ContainerStore store;
    private final Drivers drivers;
    private final ExitWaiter waiter;

    ContainerSignals(ContainerStore store, Drivers drivers, ExitWaiter waiter) {
        this.store = store;
        this.drivers = drivers;
        this.waiter = waiter;
    }

    /** {@code stop -s SIG -t N}; {@code signal} null: the container's stop signal; {@code timeoutSeconds} null: its own, or 10. */
    void stop(String id, Integer timeoutSeconds, String signal) {
        ContainerRecord r = store.record(id);
        ContainerState s = store.state(id);
        if (!s.running()) return;
        int t = timeoutSeconds != null ? timeoutSeconds : r.spec().stopTimeout() != null ? r.spec().stopTimeout() : DEFAULT_STOP_TIMEOUT;
        thawIfPaused(id);
        var d = drivers.get(r.driver());
        d.kill(store.dir(id).bundle(), id, s.pid(), signal == null || signal.isEmpty() ? r.stopSignal() : Signals.parse(signal), false);
        if (!waiter.awaitNotRunning(id, t * 1000L)) {
            d.kill(store.dir(id).bundle(), id, s.pid(), Signals.KILL, true);
            waiter.awaitNotRunning(id, 10_000);
        }
        ExecProcesses.killAll(store.dir(id));
    }

    /** SIGKILL to every process of a running container ({@code rm -f}), then up to 10 s for it to be gone. */
    void killEverything(String id, ContainerRecord r, ContainerState s) {
        thawIfPaused(id);
        drivers.get(r.driver()).kill(store.dir(id).bundle(), id, s.pid(), Signals.KILL, true);
        waiter.awaitNotRunning(id, 10_000);
    }

    /** {@code kill -s SIG}: to the container's main process. */
    void kill(String id, int signal) {
        ContainerState s = store.state(id);
        ContainerRecord r = store.record(id);
        if (!s.running()) {
            throw AndockException.conflict("Cannot kill container: " + r.name() + ": container " + id + " is not running");
        }
        if (s.status().equals("paused")) thaw(id);
        drivers.get(r.driver()).kill(store.dir(id).bundle(), id, s.pid(), signal, false);
        // Docker answers a SIGKILL once the container is dead: a remove that follows must not find it running
        if (signal == Signals.KILL) waiter.awaitNotRunning(id, 10_000);
    }

    /** {@code pause}: freezes every process of a running container (the driver's way; proot cannot). */
    void pause(String id) {
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
    void unpause(String id) {
        try (ProcessLock lock = store.lock(id)) {
            thaw(id);
        }
    }

    /** Thaws a paused container; refuses one that is not. */
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
}
