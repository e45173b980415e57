package io.andock.daemon;

/**
 * Gives memory back once the daemon has gone quiet: a burst of requests (50 concurrent {@code docker run}) grows
 * the heap and the thread pools, and an idle phone should not pay for it. After {@code quietMillis} without a
 * request, full collections let the serial collector shrink the heap to bin/andock's MaxHeapFreeRatio (it
 * shrinks in damped steps, hence a few in a row; each takes milliseconds on a heap this small); the pools shrink
 * by themselves (their idle timeouts) and the JVM trims the C heap (TrimNativeHeapInterval).
 */
final class IdleTrimmer implements AutoCloseable {
    private final long quietMillis;
    private final Runnable release;
    private final Thread thread;
    private volatile long lastRequest = System.nanoTime();
    private volatile boolean busySinceTrim = true;
    private volatile boolean closed;

    /** {@code release}: lets go of caches first (the engine's registry client), so the collections can free them. */
    IdleTrimmer(long quietMillis, Runnable release) {
        this.quietMillis = quietMillis;
        this.release = release;
        this.thread = new Thread(this::loop, "andock-idle-trim");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called for every request. */
    void touch() {
        lastRequest = System.nanoTime();
        busySinceTrim = true;
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(Math.max(1000, quietMillis / 2));
            } catch (InterruptedException e) {
                return;
            }
            if (busySinceTrim && (System.nanoTime() - lastRequest) / 1_000_000 >= quietMillis) {
                busySinceTrim = false;
                release.run();
                for (int i = 0; i < 4; i++) System.gc();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
