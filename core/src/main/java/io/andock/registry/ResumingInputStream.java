package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob download that hides dropped connections: when a read fails, or the stream ends before the blob's size,
 * it asks its opener for the rest from the byte count already delivered and carries on. It gives up (UNAVAILABLE)
 * after {@code maxStalls} drops in a row that each brought less than {@link #MIN_PROGRESS} new bytes (a registry that
 * trickles a few bytes per connection and then stalls is as dead as one that sends none), or {@link #MAX_RESUMES} in
 * all. Bytes are
 * passed on as read; the caller's digest check covers the whole. Not thread-safe (one reader).
 */
final class ResumingInputStream extends InputStream {
    static final int MAX_RESUMES = 100;
    /** Bytes a connection must deliver before it drops for the drop not to count against {@code maxStalls}. */
    static final long MIN_PROGRESS = 64 * 1024;

    /** Opens the blob from {@code offset}; throws AndockException when it cannot (after its own retries). */
    interface Opener {
        InputStream open(long offset);
    }

    private final Opener opener;
    private final long size;
    private final int maxStalls;
    private final String what;
    private InputStream current;
    private long position;
    private long lastDropAt;
    private int stalls;
    private int resumes;
    private boolean closed;

    /** @param size the blob's size, or -1 when unknown (then an early end cannot be told from the end) */
    ResumingInputStream(Opener opener, long offset, long size, int maxStalls, String what) {
        this.opener = opener;
        this.size = size;
        this.maxStalls = Math.max(1, maxStalls);
        this.what = what;
        this.position = offset;
        this.lastDropAt = offset;
        if (!atEnd()) current = opener.open(offset);
    }

    /** Bytes delivered so far, counted from the start of the blob (the offset included). */
    long position() {
        return position;
    }

    /** How often the stream was reopened. */
    int resumes() {
        return resumes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        if (len == 0) return 0;
        while (true) {
            if (current == null) {
                if (atEnd()) return -1;
                current = opener.open(position);
            }
            int n;
            try {
                n = current.read(b, off, len);
            } catch (IOException e) {
                dropped(e);
                continue;
            }
            if (n < 0) {
                if (size >= 0 && position < size) {
                    dropped(new EOFException("connection closed after " + position + " of " + size + " bytes"));
                    continue;
                }
                return -1;
            }
            position += n;
            return n;
        }
    }

    private boolean atEnd() {
        return size >= 0 && position >= size;
    }

    private void dropped(IOException cause) {
        closeQuietly();
        stalls = position - lastDropAt >= MIN_PROGRESS ? 1 : stalls + 1;
        lastDropAt = position;
        resumes++;
        if (stalls > maxStalls || resumes > MAX_RESUMES) {
            throw new AndockException(Kind.UNAVAILABLE, what + ": connection dropped at byte " + position
                    + (size >= 0 ? " of " + size : "") + ", gave up after " + resumes + " attempts: "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
        }
    }

    private void closeQuietly() {
        if (current == null) return;
        try {
            current.close();
        } catch (IOException ignored) {
            // the connection is gone already
        }
        current = null;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly();
    }
}
