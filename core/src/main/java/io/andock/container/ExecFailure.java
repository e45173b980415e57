package io.andock.container;

import io.andock.AndockException;

/**
 * The cause attached to an {@link AndockException} when a container's command cannot be started: carries Docker's
 * exit code, 127 (not found) or 126 (not executable), so the CLI can exit with it. Find it with {@link #exitCode}.
 */
public final class ExecFailure extends RuntimeException {
    private final int exitCode;

    public ExecFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static AndockException notFound(String message) {
        return new AndockException(AndockException.Kind.NOT_FOUND, message, new ExecFailure(127, message));
    }

    public static AndockException notExecutable(String message) {
        return new AndockException(AndockException.Kind.INVALID_ARGUMENT, message, new ExecFailure(126, message));
    }

    /** 126 or 127 when {@code t} (or a cause) is a start failure, else 125: Docker's exit code for engine errors. */
    public static int exitCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ExecFailure f) return f.exitCode;
        }
        return 125;
    }
}
