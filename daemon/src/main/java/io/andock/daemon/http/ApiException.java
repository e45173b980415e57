package io.andock.daemon.http;

/**
 * An error with a wire status that is not an engine kind: 304 Not Modified, 400 for a bad query, 413, 501.
 * Engine errors stay {@link io.andock.AndockException}s and are translated by {@link Errors}.
 */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notImplemented(String message) {
        return new ApiException(501, message);
    }
}
