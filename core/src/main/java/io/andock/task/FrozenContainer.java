package io.andock.task;

import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.driver.Driver;
import io.andock.driver.Drivers;
import io.andock.AndockException;
import io.andock.os.ProcessLock;

/**
 * A container held still while the host works in its files ({@code docker cp}): a running container is paused
 * (oci: the freezer; chroot: SIGSTOP to every process) so that none of its processes can swap a directory for a
 * symlink between the path check and the write (moby CVE-2018-15664, which Docker fixed the same way), and resumed
 * by {@link #close()} whatever happened. The container's lock is held throughout, so no stop, start, pause or
 * unpause runs in between; a container the user paused stays paused.
 *
 * <p>proot cannot pause ({@link Driver#pause} refuses): a SIGSTOP to a tracee is caught by proot's ptrace loop,
 * and stopping the tracer instead would hold only processes it traces, not those of {@code exec} (tracers of their
 * own), while a tracer left stopped by a crash would hang the container. Its copies run unfrozen. That is honest
 * rather than dangerous: proot runs the container as the very user who runs andock, with no privilege boundary
 * between them, so a race can reach only files that user (and so the container, through proot's bindings or plain
 * ptrace) can already write; the resolver alone keeps every path a non-racing container gives inside its root.
 */
public final class FrozenContainer implements AutoCloseable {
    private final ProcessLock lock;
    private final Runnable resume;

    FrozenContainer(ProcessLock lock, Runnable resume) {
        this.lock = lock;
        this.resume = resume;
    }

    /** Pauses {@code id} when it runs and its driver can; {@code resume} is called once at close. */
    static FrozenContainer freeze(ContainerStore store, Drivers drivers, String id) {
        ProcessLock lock = store.lock(id);
        try {
            ContainerState s = store.state(id);
            if (!s.running() || s.status().equals("paused")) return new FrozenContainer(lock, null);
            Driver d = drivers.get(store.record(id).driver());
            java.nio.file.Path bundle = store.dir(id).bundle();
            try {
                d.pause(bundle, id, s.pid(), true);
            } catch (AndockException e) {
                // UNSUPPORTED: proot; otherwise it may just have exited (its state not yet written: the runtime
                // then answers that it does not exist, or that its cgroup is gone): nothing to hold still
                if (e.kind() == AndockException.Kind.UNSUPPORTED || exited(store.dir(id), s.pid())) {
                    return new FrozenContainer(lock, null);
                }
                throw e;
            }
            return new FrozenContainer(lock, () -> d.pause(bundle, id, s.pid(), false));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Whether the container's main process is gone, or its monitor records the exit within a second. */
    private static boolean exited(io.andock.container.ContainerDir dir, long pid) {
        for (int i = 0; i < 20; i++) {
            if (java.nio.file.Files.exists(dir.exit()) || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) return true;
            io.andock.os.Interruptible.sleep(50);
        }
        return false;
    }

    /** Whether the container's processes are held still now (false: not running, or proot). */
    public boolean frozen() {
        return resume != null;
    }

    @Override
    public void close() {
        try {
            if (resume != null) resume.run();
        } finally {
            lock.close();
        }
    }
}
