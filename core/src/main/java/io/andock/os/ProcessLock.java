package io.andock.os;

import io.andock.AndockException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lock held across threads and processes: an in-JVM read-write lock per lock file, not owned by a thread (an
 * ingest may begin on one thread and commit on another; Java's file locks are per process and throw when one JVM
 * locks a region twice), then an OS lock on the file ({@code FileChannel.lock}),
 * which the kernel releases when the process dies, even by {@code kill -9}. Lock files are never deleted, so two
 * processes always lock the same inode.
 *
 * <p>Shared holders of one JVM share one shared OS lock, taken by the first and released by the last.
 */
public final class ProcessLock implements AutoCloseable {
    private static final Map<Path, Entry> ENTRIES = new ConcurrentHashMap<>();

    private static final class Entry {
        int sharedHolders;
        boolean exclusiveHeld;
        FileChannel channel;
        FileLock lock;
    }

    private final Entry entry;
    private final boolean shared;
    private boolean released;

    private ProcessLock(Entry entry, boolean shared) {
        this.entry = entry;
        this.shared = shared;
    }

    /** Blocks until this thread holds the lock exclusively. */
    public static ProcessLock exclusive(Path file) {
        return acquire(file, false);
    }

    /** Blocks until this thread holds the lock shared with other shared holders. */
    public static ProcessLock shared(Path file) {
        return acquire(file, true);
    }

    private static ProcessLock acquire(Path file, boolean shared) {
        Entry e = ENTRIES.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new Entry());
        try {
            synchronized (e) {
                while (e.exclusiveHeld || (!shared && e.sharedHolders > 0)) e.wait();
                if (!shared) e.exclusiveHeld = true;
                if (!shared || e.sharedHolders++ == 0) {
                    Files.createDirectories(file.getParent());
                    e.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    e.lock = osLock(e.channel, shared);
                }
            }
            return new ProcessLock(e, shared);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "interrupted while waiting for lock " + file);
        } catch (IOException | RuntimeException x) {
            synchronized (e) {
                if (shared) e.sharedHolders--; else e.exclusiveHeld = false;
                if (!shared || e.sharedHolders == 0) closeQuietly(e);
                e.notifyAll();
            }
            throw AndockException.wrap("lock " + file, x);
        }
    }

    /**
     * Polls {@code tryLock} instead of blocking in {@code lock}: the kernel's deadlock detection for POSIX locks
     * counts a whole process as one owner, so two multi-threaded processes each waiting on a different blob's
     * lock get a false EDEADLK ("Resource deadlock avoided") from a blocking lock.
     */
    private static FileLock osLock(FileChannel ch, boolean shared) throws IOException, InterruptedException {
        long sleep = 2;
        while (true) {
            FileLock l = ch.tryLock(0, Long.MAX_VALUE, shared);
            if (l != null) return l;
            Thread.sleep(sleep);
            sleep = Math.min(sleep * 2, 50);
        }
    }

    private static void closeQuietly(Entry e) {
        try {
            if (e.channel != null) e.channel.close(); // releases the OS lock too
        } catch (IOException ignored) {
            // nothing to do
        }
        e.channel = null;
        e.lock = null;
    }

    @Override
    public void close() {
        if (released) return;
        released = true;
        synchronized (entry) {
            if (!shared || --entry.sharedHolders == 0) closeQuietly(entry);
            if (!shared) entry.exclusiveHeld = false;
            entry.notifyAll();
        }
    }
}
