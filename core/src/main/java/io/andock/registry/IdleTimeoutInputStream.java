package io.andock.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A response body with an idle-read timeout. The JDK HttpClient bounds the connect and the wait for the response
 * headers, but a body that stops arriving blocks a read for good; here every read arms a watchdog that, after
 * {@code timeout} without the read returning, closes the body (which cancels the exchange) and wakes the reader, whose
 * read then fails with a {@link SocketTimeoutException} naming the registry. Being an IOException, that counts as a
 * dropped connection: blob streams resume with {@code Range} ({@link ResumingInputStream}), other requests are
 * retried by {@link RegistryTransport}.
 *
 * <p>Also used for other downloads (a build's {@code ADD <url>}). The watchdog is one daemon thread shared by every stream; a read costs one schedule and one cancel. Not
 * thread-safe (one reader).
 */
public final class IdleTimeoutInputStream extends FilterInputStream {
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final Duration timeout;
    private final String host;
    private boolean reading;
    private Thread reader;
    private volatile boolean expired;

    /** @param host named in the timeout's message ({@code host:port}) */
    public IdleTimeoutInputStream(InputStream body, Duration timeout, String host) {
        super(body);
        this.timeout = timeout;
        this.host = host;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (expired) throw timedOut(null);
        if (len == 0) return 0;
        ScheduledFuture<?> alarm;
        synchronized (this) {
            reading = true;
            reader = Thread.currentThread();
            alarm = WATCHDOG.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        long t0 = System.nanoTime();
        try {
            int n = in.read(b, off, len);
            if (expired && n <= 0) throw timedOut(null);
            if (n > 0) checkRate(n, System.nanoTime() - t0);
            return n;
        } catch (ReadTimeout tooSlow) {
            throw tooSlow;
        } catch (IOException e) {
            if (expired) throw timedOut(e);
            throw e;
        } finally {
            synchronized (this) {
                alarm.cancel(false);
                reading = false;
                reader = null;
                if (expired) Thread.interrupted(); // the watchdog's wake-up call is not for the caller
            }
        }
    }

    @Override
    public long skip(long n) throws IOException {
        // through read, so that a stall while skipping (a 200 answered to a Range request) times out too
        byte[] buf = new byte[(int) Math.max(1, Math.min(n, 8192))];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    /**
     * A trickle (a byte every few seconds) never trips the idle timeout, so a body must also bring at least
     * {@link #MIN_BYTES_PER_TIMEOUT} bytes per {@code timeout} spent waiting in reads (30 s: about 34 B/s, far under
     * any real link). Only time blocked in reads counts: a reader that pauses itself is not the registry's fault.
     * Below that rate the body is closed as for a stall: the download resumes or is retried, then fails.
     */
    private void checkRate(int n, long blockedNanos) throws IOException {
        windowBytes += n;
        windowBlockedNanos += blockedNanos;
        if (windowBytes >= MIN_BYTES_PER_TIMEOUT) {
            windowBytes = 0;
            windowBlockedNanos = 0;
        } else if (windowBlockedNanos >= timeout.toNanos()) {
            expired = true;
            in.close();
            long ms = timeout.toMillis();
            throw new ReadTimeout(host + " sent " + windowBytes + " bytes in " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms")
                    + " (under " + MIN_BYTES_PER_TIMEOUT + ": too slow)");
        }
    }

    static final int MIN_BYTES_PER_TIMEOUT = 1024;
    private long windowBytes;
    private long windowBlockedNanos;

    private void expire() {
        synchronized (this) {
            if (!reading) return;
            expired = true;
        }
        try {
            in.close(); // cancels the exchange; the connection is not reused
        } catch (IOException ignored) {
            // gone already
        }
        synchronized (this) {
            // a read blocked inside the HttpClient's body queue may not notice the close: wake it
            if (reading && reader != null) reader.interrupt();
        }
    }

    /** The idle-read timeout; its message names the host. */
    static final class ReadTimeout extends SocketTimeoutException {
        ReadTimeout(String message) {
            super(message);
        }
    }

    private SocketTimeoutException timedOut(IOException cause) {
        long ms = timeout.toMillis();
        SocketTimeoutException e = new ReadTimeout(host + " sent no data for "
                + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms") + " (read timeout)");
        if (cause != null) e.initCause(cause);
        return e;
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "andock-read-timeout");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        e.setKeepAliveTime(10, TimeUnit.SECONDS); // no thread left behind in an idle daemon
        e.allowCoreThreadTimeOut(true);
        return e;
    }
}
