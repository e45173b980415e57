package io.andock.hub;

import io.andock.hub.auth.Access;
import io.andock.json.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request of the hub's API and its reply: query, headers, the body (its bytes counted for the access log and
 * metrics), and the answer written in one go.
 */
final class Exchange {
    final Request req;
    final Response resp;
    final Callback cb;
    final String method;
    final Fields query;
    Access.Identity id;
    boolean done;
    int status;
    long bytesIn, bytesOut;

    Exchange(Request req, Response resp, Callback cb) {
        this.req = req;
        this.resp = resp;
        this.cb = cb;
        this.method = req.getMethod();
        Fields q;
        try {
            q = Request.extractQueryParameters(req, StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            q = null;
        }
        this.query = q;
    }

    String param(String name) {
        if (query == null) throw new OciError(400, "UNSUPPORTED", "invalid query string");
        return query.getValue(name);
    }

    List<String> params(String name) {
        if (query == null) throw new OciError(400, "UNSUPPORTED", "invalid query string");
        List<String> v = query.getValues(name);
        return v == null ? List.of() : v;
    }

    String header(String name) {
        return req.getHeaders().get(name);
    }

    void header(String name, String value) {
        resp.getHeaders().put(name, value);
    }

    InputStream body() {
        InputStream in = Content.Source.asInputStream(req);
        return new java.io.FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) bytesIn += n;
                return n;
            }
        };
    }

    void reply(int status, String contentType, byte[] body) {
        done = true;
        this.status = status;
        resp.setStatus(status);
        if (contentType != null) resp.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        boolean head = method.equals("HEAD");
        if (!head) bytesOut += body.length;
        resp.write(true, !head && body.length > 0 ? ByteBuffer.wrap(body) : BufferUtil.EMPTY_BUFFER, cb);
    }

    void empty(int status) {
        reply(status, null, new byte[0]);
    }

    void json(int status, String contentType, Object body) {
        reply(status, contentType, Json.writeBytes(body));
    }
}
