package io.andock.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on one name, between threads (a JVM-wide lock per lock file: file locks are per process) and
 * between processes ({@code fcntl} lock on the file, released by the kernel when a process dies, so a kill -9 never
 * leaves a stale lock). Lock files are kept: deleting them would let two processes lock different inodes.
 */
final class ChainLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private ChainLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits for the lock. {@code onWait} runs once if someone else holds it. */
    static ChainLock acquire(Path file, Runnable onWait) throws IOException {
        ReentrantLock local = LOCAL.computeIfAbsent(file.toAbsolutePath(), k -> new ReentrantLock());
        boolean waited = false;
        if (!local.tryLock()) {
            onWait.run();
            waited = true;
            local.lock();
        }
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock l = ch.tryLock();
                if (l == null) {
                    if (!waited) onWait.run();
                    l = ch.lock();
                }
                return new ChainLock(local, ch, l);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** The lock if nobody holds it, else null. */
    static ChainLock tryAcquire(Path file) throws IOException {
        ReentrantLock local = LOCAL.computeIfAbsent(file.toAbsolutePath(), k -> new ReentrantLock());
        if (local.isHeldByCurrentThread() || !local.tryLock()) return null;
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                local.unlock();
                return null;
            }
            return new ChainLock(local, ch, l);
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            local.unlock();
        }
    }
}
