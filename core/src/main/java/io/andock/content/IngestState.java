package io.andock.content;

import io.andock.AndockException;

import java.nio.file.Path;

/** What followers of one ingest see: the file, how far it is written, and how it ended. Guarded by itself. */
final class IngestState {
    Path file;
    long written;
    boolean done;
    Throwable failed;

    IngestState(Path file, long written) {
        this.file = file;
        this.written = written;
    }

    synchronized void advance(long to) {
        written = to;
        notifyAll();
    }

    synchronized void complete(Path published) {
        file = published;
        done = true;
        notifyAll();
    }

    synchronized void fail(Throwable cause) {
        if (done) return;
        failed = cause == null ? new AndockException(AndockException.Kind.UNAVAILABLE, "ingest interrupted") : cause;
        done = true;
        notifyAll();
    }

    /** Blocks until more than {@code pos} bytes are written or the ingest ended; returns the bytes written. */
    synchronized long await(long pos) throws java.io.InterruptedIOException {
        while (written <= pos && !done) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while following an ingest");
            }
        }
        if (failed != null) {
            if (failed instanceof AndockException a) throw a.withContext("ingest failed");
            throw AndockException.wrap("ingest failed", failed);
        }
        return written;
    }
}
