package io.andock.hub.fleet;

import java.time.Duration;

/**
 * A generation counter that every tag write bumps, so that waiting polls wake at once. It only says "something may
 * have moved": the poll then reads the tags again from storage, which is the truth (and which another replica of the
 * hub on the same bucket may have written: polls also wake every few seconds to read it).
 */
final class TagMoves {
    private long generation;

    synchronized void moved() {
        generation++;
        notifyAll();
    }

    synchronized long generation() {
        return generation;
    }

    /** Waits until the generation differs from {@code seen} or {@code max} passed; returns the generation then. */
    synchronized long await(long seen, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (generation == seen) {
            long left = end - System.nanoTime();
            if (left <= 0) break;
            wait(Math.max(1, left / 1_000_000));
        }
        return generation;
    }
}
