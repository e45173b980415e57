package io.andock.task;

import io.andock.AndockException;
import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.os.Interruptible;

import java.util.function.BooleanSupplier;

/**
 * The engine's one wait, for the CLI ({@code wait}, a foreground {@code run}, {@code stop}) and the API's
 * {@code /containers/ID/wait}: polls the container's state, which the store reconciles with the monitor's exit
 * file, until a {@link Condition} holds. Short commands end within a second, so the first two seconds are polled
 * often (3 ms) and later ones rarely (20 ms).
 *
 * <p>A {@code --rm} container vanishes right after it exits: its code is then the one its monitor left as a
 * tombstone ({@link ContainerStore#tombstone}), or the one read from the exit file while it still ran, or what a
 * caller that attached to the run knows ({@link KnownExits}).
 */
public final class ExitWaiter {
    private static final long FAST_POLL_NANOS = 2_000_000_000L;
    private final ContainerStore store;

    /** Docker's wait conditions. */
    public enum Condition {
        NOT_RUNNING("not-running"), NEXT_EXIT("next-exit"), REMOVED("removed");

        private final String wire;

        Condition(String wire) {
            this.wire = wire;
        }

        /** {@code not-running} (also for null or empty), {@code next-exit} or {@code removed}; else INVALID_ARGUMENT. */
        public static Condition parse(String s) {
            if (s == null || s.isEmpty()) return NOT_RUNNING;
            for (Condition c : values()) if (c.wire.equals(s)) return c;
            throw AndockException.invalid("invalid condition: \"" + s + "\"");
        }
    }

    /** How a wait ended: the exit code, and the error recorded with it (empty when none). */
    public record Exit(int code, String error) {}

    /**
     * What a caller knows better than the disk: the exit codes of runs it attached to ({@code null} when it knows
     * none), and whether such a run's code is still to come.
     */
    public interface KnownExits {
        KnownExits NONE = new KnownExits() {
            @Override
            public Integer code(String id) {
                return null;
            }

            @Override
            public boolean pending(String id) {
                return false;
            }
        };

        Integer code(String id);

        boolean pending(String id);
    }

    ExitWaiter(ContainerStore store) {
        this.store = store;
    }

    /**
     * Blocks until {@code condition} holds for container {@code id} (a full id); returns null if {@code cancelled}
     * said so first (the client went away).
     */
    public Exit await(String id, Condition condition, BooleanSupplier cancelled, KnownExits known) {
        ContainerState first = stateOrNull(id);
        Integer code = null;
        String error = "";
        long since = System.nanoTime();
        while (!cancelled.getAsBoolean()) {
            ContainerState s = stateOrNull(id);
            if (s == null) { // removed, by its monitor (--rm) or by rm
                for (int i = 0; i < 500 && known.pending(id) && known.code(id) == null; i++) Interruptible.sleep(10);
                Integer last = known.code(id);
                if (last == null) last = store.tombstone(id);
                return new Exit(last != null ? last : code != null ? code : 0, error);
            }
            if (!s.running()) {
                Integer k = known.code(id);
                code = k != null ? k : s.exitCode();
                if (!s.error().isEmpty()) error = s.error();
                boolean changed = first == null || first.running() || !s.finishedAt().equals(first.finishedAt());
                if (condition == Condition.NOT_RUNNING) return new Exit(code, error);
                if (condition == Condition.NEXT_EXIT && changed) return new Exit(code, error);
            } else {
                ContainerStore.Exit e = store.exit(id); // read while it runs: a --rm container vanishes right after
                if (e != null) code = e.code();
            }
            Interruptible.sleep(System.nanoTime() - since < FAST_POLL_NANOS ? 3 : 20);
        }
        return null;
    }

    /** Up to {@code ms} for the container to stop running (or be removed); whether it did. */
    boolean awaitNotRunning(String id, long ms) {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (true) {
            ContainerState s = stateOrNull(id);
            if (s == null || !s.running()) return true;
            if (System.nanoTime() > deadline) return false;
            Interruptible.sleep(10);
        }
    }

    private ContainerState stateOrNull(String id) {
        try {
            return store.state(id);
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.NOT_FOUND) return null;
            throw e;
        }
    }
}
