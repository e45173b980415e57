package io.andock.os;

import io.andock.AndockException;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work done on another thread, with its failure surfacing as the engine's own error. */
public final class Futures {
    private Futures() {}

    /**
     * Waits for {@code f}. An {@link AndockException} thrown by the task is rethrown as it is (it already says what
     * failed); any other failure is wrapped as "{@code context}: …". An interrupt is kept and becomes
     * {@link AndockException.Kind#UNAVAILABLE} "interrupted".
     */
    public static void await(Future<?> f, String context) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof AndockException a ? a : AndockException.wrap(context, c);
        }
    }
}
