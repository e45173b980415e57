package io.andock.daemon.http;

import io.andock.json.Json;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Errors Jetty answers before a request reaches {@link ApiHandler} (a NUL or bad escape in the URI: 400, a URI
 * over the header bound: 414, headers too large: 431) in Docker's one-line form {@code {"message": …}}, not an
 * HTML page: clients show the message as it is.
 */
public final class JsonErrorHandler extends ErrorHandler {
    static byte[] body(int status, String message) {
        String m = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message;
        return Json.writeBytes(Map.of("message", "bad request: " + m.replaceAll("[\\r\\n]+", " ")));
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        byte[] b = body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        response.write(true, ByteBuffer.wrap(b), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }
}
