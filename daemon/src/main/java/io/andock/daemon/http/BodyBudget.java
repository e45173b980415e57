package io.andock.daemon.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many bytes of request bodies the daemon holds in memory at once. A JSON body is parsed whole, and the daemon's
 * heap is small (64 MiB in {@code bin/andock}): 24 clients each sending a 4 MiB create body used to end in an
 * OutOfMemoryError. Bodies up to {@link #FREE} bytes (every real create, exec or network body) take nothing from the
 * budget; a larger one reserves its bytes first and waits for them at most {@link #WAIT_SECONDS}, then is refused
 * with a 503. Streamed bodies (archives, build contexts, loads) go to disk and never come here.
 */
final class BodyBudget {
    /** A body this small is held without asking: Jetty's bounded thread pool bounds their number. */
    static final int FREE = 64 << 10;
    /** All larger bodies held at once: two of the largest. What they become while parsed is a few times their size. */
    static final int TOTAL = 4 << 20;
    static final int WAIT_SECONDS = 30;

    private static final Semaphore KIB = new Semaphore(TOTAL >> 10, true);

    private BodyBudget() {}

    /** Reserves {@code bytes} (at most {@link #TOTAL}); the returned handle gives them back. */
    static Reservation reserve(int bytes) {
        int kib = Math.min(TOTAL >> 10, (bytes + 1023) >> 10);
        boolean got;
        try {
            got = KIB.tryAcquire(kib, WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) throw new ApiException(503, "too many large request bodies at once: retry later");
        return () -> KIB.release(kib);
    }

    interface Reservation extends AutoCloseable {
        @Override
        void close();
    }
}
