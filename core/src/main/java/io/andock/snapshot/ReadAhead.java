package io.andock.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream ahead on a daemon thread, so that decompression runs on one core while the caller writes files on
 * another (what {@code tar -xz} gets from its gzip child process). Holds at most {@code QUEUE} chunks of
 * {@code CHUNK} bytes; the reader hands each chunk's array back when it is done with it, so a layer of any size
 * needs about {@code QUEUE + 2} arrays (fresh ones per chunk were 72 MB of garbage for a 28 MB layer, and the
 * heap's young generation grew to hold them). Errors of the source are rethrown to the reader; {@link #close()}
 * stops the thread and closes the source.
 */
final class ReadAhead extends InputStream {
    private static final int CHUNK = 128 * 1024;
    private static final int QUEUE = 8;
    private static final Chunk END = new Chunk(new byte[0], 0, null);

    private record Chunk(byte[] data, int length, Throwable error) {}

    private final InputStream source;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE);
    /** Arrays the reader finished with, for the pump to fill again. */
    private final BlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(QUEUE + 2);
    private final Thread thread;
    private volatile boolean closed;
    private Chunk current;
    private int pos;

    ReadAhead(InputStream source) {
        this.source = source;
        this.thread = new Thread(this::pump, "andock-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    private void pump() {
        try {
            while (!closed) {
                byte[] b = spare.poll();
                if (b == null) b = new byte[CHUNK];
                int n = source.readNBytes(b, 0, CHUNK);
                if (n == 0) break;
                put(new Chunk(b, n, null));
                if (n < CHUNK) break;
            }
            put(END);
        } catch (Throwable t) {
            put(new Chunk(null, 0, t));
        }
    }

    private void put(Chunk c) {
        try {
            while (!closed && !queue.offer(c, 100, TimeUnit.MILLISECONDS)) {
                // wait for the reader, or for close()
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (current == null || pos == current.length) {
            if (current == END) return -1;
            if (current != null && current.data.length == CHUNK) spare.offer(current.data);
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a layer");
            }
            pos = 0;
            if (current.error != null) {
                Throwable t = current.error;
                current = END;
                if (t instanceof IOException io) throw io;
                if (t instanceof RuntimeException r) throw r;
                throw new IOException(t);
            }
            if (current == END) return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current.data, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        queue.clear();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
