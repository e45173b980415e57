package io.andock.hub;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What Jetty refuses before the registry sees it (an ambiguous escape such as {@code %2e%2e} or {@code %2f}, an
 * empty segment, a URI or headers over their bound) answered in the distribution spec's error form, not an HTML page.
 */
final class OciErrorHandler extends ErrorHandler {
    static byte[] body(int status, String message) {
        String m = message == null || message.isBlank() ? HttpStatus.getMessage(status) : message.replaceAll("[\\r\\n]+", " ");
        String code = status == 400 ? "NAME_INVALID" : status == 413 || status == 414 || status == 431 ? "SIZE_INVALID" : "UNSUPPORTED";
        return new OciError(status, code, "request refused: " + m).body().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
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
