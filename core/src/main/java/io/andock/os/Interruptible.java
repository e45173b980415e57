package io.andock.os;

import io.andock.AndockException;

/** Sleeps of the polling loops (logs, waits, pty set-up), an interruption becoming the engine's UNAVAILABLE error. */
public final class Interruptible {
    private Interruptible() {}

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "interrupted");
        }
    }
}
