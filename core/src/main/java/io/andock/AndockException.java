package io.andock;

/**
 * The one error type of the engine. Its {@link Kind} decides how a front end reports it (exit code in the CLI,
 * HTTP status in the API); its message is built up with context at each boundary, outermost first:
 * {@code pull busybox: fetch layer sha256:…: connection refused}.
 */
public final class AndockException extends RuntimeException {

    public enum Kind {
        INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, CONFLICT, UNAUTHORIZED, UNAVAILABLE,
        /** Content that does not match its digest, size or diff_id, or an archive that cannot be applied safely. */
        CORRUPT,
        UNSUPPORTED, INTERNAL
    }

    private final Kind kind;

    public AndockException(Kind kind, String message) {
        this(kind, message, null);
    }

    public AndockException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The same error with {@code context + ": "} in front of its message. */
    public AndockException withContext(String context) {
        AndockException e = new AndockException(kind, context + ": " + getMessage(), getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** Wraps any throwable, keeping an AndockException's kind; I/O errors count as {@link Kind#UNAVAILABLE}. */
    public static AndockException wrap(String context, Throwable t) {
        if (t instanceof AndockException a) {
            return a.withContext(context);
        }
        Kind kind = t instanceof java.io.IOException ? Kind.UNAVAILABLE : Kind.INTERNAL;
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof java.nio.file.NoSuchFileException) msg = "no such file: " + msg;
        else if (t instanceof java.nio.file.AccessDeniedException) msg = "permission denied: " + msg;
        else if (t instanceof java.nio.file.FileAlreadyExistsException) msg = "file exists: " + msg;
        return new AndockException(kind, context + ": " + msg, t);
    }

    public static AndockException notFound(String message) {
        return new AndockException(Kind.NOT_FOUND, message);
    }

    public static AndockException invalid(String message) {
        return new AndockException(Kind.INVALID_ARGUMENT, message);
    }

    public static AndockException corrupt(String message) {
        return new AndockException(Kind.CORRUPT, message);
    }

    public static AndockException conflict(String message) {
        return new AndockException(Kind.CONFLICT, message);
    }
}
