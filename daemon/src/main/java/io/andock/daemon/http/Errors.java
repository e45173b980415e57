package io.andock.daemon.http;

import io.andock.AndockException;

/** The edge where errors become Docker's status codes (the CLI classifies errors by status alone). */
public final class Errors {
    private Errors() {}

    public static int status(Throwable t) {
        if (t instanceof ApiException a) return a.status();
        if (t instanceof AndockException a) {
            return switch (a.kind()) {
                case INVALID_ARGUMENT -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT, ALREADY_EXISTS -> 409;
                case UNAUTHORIZED -> 401;
                case UNSUPPORTED -> 501;
                default -> 500;
            };
        }
        return 500;
    }

    public static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isEmpty() ? t.getClass().getSimpleName() : m;
    }
}
