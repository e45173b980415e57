package io.andock.daemon.http;

import io.andock.json.Json;
import io.andock.json.JsonObject;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * One request and its response, blocking style: handlers read the query and body, then either answer once
 * ({@link #json}, {@link #status}), stream ({@link #stream}) or take the connection over ({@link #hijack}).
 * Every reply carries dockerd's common headers. Not thread-safe except {@link ResponseStream} writes.
 */
public final class Exchange {
    /** Docker sets no bound; a real create body is a few KiB, one with every option and many labels a few hundred. */
    public static final int MAX_JSON_BODY = 2 << 20;

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final String path;
    private final String apiVersion;
    private volatile Query query;
    private final Executor sessions;
    private Map<String, String> params = Map.of();
    private boolean completed;
    private volatile boolean clientGone;

    Exchange(Request request, Response response, Callback callback, String path, String apiVersion, Executor sessions) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.path = path;
        this.apiVersion = apiVersion;
        this.sessions = sessions;
        request.addFailureListener(t -> clientGone = true);
    }

    public String method() {
        return request.getMethod();
    }

    /** The path without its {@code /vX.Y} prefix. */
    public String path() {
        return path;
    }

    /** The version in the path, or null for unversioned routes. */
    public String apiVersion() {
        return apiVersion;
    }

    /** True when the request's API version is at least {@code v} (unversioned means the newest). */
    public boolean atLeast(String v) {
        return apiVersion == null || ApiVersions.compare(apiVersion, v) >= 0;
    }

    /** Parsed on first use, inside the handler's error handling: a malformed query is a 400, not a 500. */
    public Query query() {
        Query q = query;
        if (q == null) query = q = new Query(request.getHttpURI().getQuery());
        return q;
    }

    public String param(String name) {
        return params.get(name);
    }

    void params(Map<String, String> p) {
        this.params = p;
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** Sets a reply header (before the reply is sent). */
    public void responseHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /**
     * True once the client went away: a failed write, Jetty noticed the connection close, or (while a streamed
     * reply is open, its request read whole) a look at the connection finds it closed. Jetty reads nothing during a
     * silent reply (a build's {@code RUN sleep 60}, a {@code wait}), so without the look a client that hung up went
     * unnoticed until the next write; callers poll this (every 200 ms), the look is at most every 500 ms.
     */
    public boolean clientGone() {
        if (clientGone) return true;
        if (openStream != null && System.nanoTime() - lastProbe > PROBE_INTERVAL_NANOS) {
            lastProbe = System.nanoTime();
            if (peerClosed()) clientGone = true;
        }
        return clientGone;
    }

    private static final long PROBE_INTERVAL_NANOS = 500_000_000L;
    private volatile long lastProbe = System.nanoTime();

    /**
     * A non-blocking read on the connection, which nobody else reads while the reply streams: end of input (or an
     * error) means the client closed its side. A client that sent more (Docker's have nothing to send here) would
     * lose those bytes.
     */
    private boolean peerClosed() {
        try {
            var ep = request.getConnectionMetaData().getConnection().getEndPoint();
            if (!ep.isOpen()) return true;
            ByteBuffer probe = BufferUtil.allocate(64);
            return ep.fill(probe) < 0;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** The body as a stream (chunked bodies included). */
    public InputStream body() {
        InputStream b = bodyStream;
        if (b == null) {
            // one stream, which its readers cannot close: closing Jetty's fails the request's content, and a refused
            // body must still be read and dropped after the handler gave up on it (complete), or the client still
            // sending it gets a broken pipe instead of the answer
            InputStream jetty = Content.Source.asInputStream(request);
            bodyStream = b = new java.io.FilterInputStream(jetty) {
                @Override
                public void close() {
                }
            };
        }
        return b;
    }

    private InputStream bodyStream;

    /**
     * The body parsed as a JSON object; empty or {@code null} gives an empty object. Over {@link #MAX_JSON_BODY} is a
     * 413, refused from its Content-Length before anything is read; a body over {@link BodyBudget#FREE} waits for
     * its share of the {@link BodyBudget} (a 503 when it does not come), so parallel large bodies cannot exhaust
     * the heap.
     */
    public JsonObject json() {
        long declared = request.getLength();
        try (InputStream in = body()) {
            if (declared > MAX_JSON_BODY) {
                discard(in);
                throw tooLarge();
            }
            byte[] head = in.readNBytes(BodyBudget.FREE + 1);
            if (head.length <= BodyBudget.FREE) return parse(head);
            try (BodyBudget.Reservation r = BodyBudget.reserve(declared > 0 ? (int) declared : MAX_JSON_BODY)) {
                byte[] rest = in.readNBytes(MAX_JSON_BODY + 1 - head.length);
                if (head.length + rest.length > MAX_JSON_BODY) {
                    rest = null;
                    discard(in);
                    throw tooLarge();
                }
                byte[] all = java.util.Arrays.copyOf(head, head.length + rest.length);
                System.arraycopy(rest, 0, all, head.length, rest.length);
                head = null;
                rest = null;
                return parse(all);
            }
        } catch (IOException e) {
            throw ApiException.badRequest("read request body: " + e.getMessage());
        }
    }

    /** Bytes of a refused body read and dropped, so that its client, still sending, gets to read the 413. */
    static final long MAX_DISCARD = 16 << 20;

    /**
     * Reads and drops what is left of a refused body, holding none of it, up to {@link #MAX_DISCARD} bytes and
     * {@link #DRAIN_SECONDS}: a client that is still sending when the answer comes would see its connection reset
     * instead of the 413. Past those bounds the connection is closed with the answer.
     */
    private static void discard(InputStream in) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while (total <= MAX_DISCARD && System.nanoTime() < deadline && (n = in.read(buf)) >= 0) total += n;
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "request body too large: a JSON body is at most " + (MAX_JSON_BODY >> 20) + " MiB");
    }

    private static JsonObject parse(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8).trim();
        if (s.isEmpty() || s.equals("null")) return new JsonObject(Map.of());
        try {
            return JsonObject.of(Json.parse(s));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("invalid JSON: " + Errors.message(e));
        }
    }

    /**
     * Drains the rest of the body before the connection is taken over, at most {@link #MAX_DRAIN} bytes and
     * {@link #DRAIN_SECONDS}: a client that sends more (or never ends) gets its connection closed instead.
     */
    void drain() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        try (InputStream in = body()) {
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (total > MAX_DRAIN || System.nanoTime() > deadline) {
                    throw new IOException("body too large to drain");
                }
            }
        } catch (IOException | RuntimeException e) {
            request.getConnectionMetaData().getConnection().getEndPoint().close();
        }
    }

    static final long MAX_DRAIN = 1 << 20;
    static final int DRAIN_SECONDS = 10;

    private void commonHeaders() {
        var h = response.getHeaders();
        h.put("Api-Version", ApiVersions.CURRENT);
        h.put("Docker-Experimental", "false");
        h.put("Ostype", "linux");
        h.put("Server", "Docker/" + ApiVersions.ENGINE_VERSION + " (linux)");
    }

    public boolean committed() {
        return completed || response.isCommitted();
    }

    /** A complete JSON reply. */
    public void json(int status, Object body) {
        bytes(status, "application/json", Json.writeBytes(body), true);
    }

    public void text(int status, String contentType, String body) {
        bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8), true);
    }

    /** A reply with no body (204, 201, 304...). */
    public void status(int status) {
        bytes(status, null, new byte[0], true);
    }

    public void error(int status, String message) {
        json(status, Map.of("message", message));
    }

    void bytes(int status, String contentType, byte[] body, boolean writeBody) {
        if (completed) return;
        completed = true;
        response.setStatus(status);
        commonHeaders();
        if (contentType != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        if (status != 204 && status != 304) response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, writeBody && body.length > 0 ? ByteBuffer.wrap(body) : BufferUtil.EMPTY_BUFFER, callback);
    }

    /**
     * Starts a streamed (chunked) 200 reply and sends its headers at once (the Go client blocks until it has
     * them: {@code wait}). Close the stream to end the reply.
     */
    public ResponseStream stream(String contentType) throws IOException {
        if (completed) throw new IllegalStateException("already answered");
        completed = true;
        response.setStatus(200);
        commonHeaders();
        if (contentType != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        ResponseStream s = new ResponseStream(response, callback, this);
        openStream = s;
        noIdleTimeout();
        s.commit();
        return s;
    }

    /**
     * Takes the connection over for a raw byte pipe (attach, exec start). With {@code Upgrade: tcp} the reply is
     * {@code 101 UPGRADED} and the socket becomes stdin (client→server) and output; without it (docker-java with
     * no stdin) it is a 200 whose body is the output, and the connection closes after it. The returned session
     * must be closed by the caller; it runs on a session thread, not Jetty's. Nothing is sent before
     * {@link #detach}: whatever must be ready when the client sees the reply (an attach before the client's
     * {@code start}) is set up in between.
     */
    public Hijacked hijack(String contentType) throws IOException {
        if (completed) throw new IllegalStateException("already answered");
        completed = true;
        HttpField upgrade = request.getHeaders().getField(HttpHeader.UPGRADE);
        if (upgrade == null) {
            response.setStatus(200);
            commonHeaders();
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            ResponseStream s = new ResponseStream(response, callback, this);
            noIdleTimeout();
            reply = s::commit;
            return Hijacked.overResponse(s);  // closed by the session, not when the handler returns
        }
        drain();
        upgraded = true;
        Hijack h = Hijack.upgrade(request, response, contentType);
        reply = callback::succeeded; // Jetty sends the 101 and swaps connections once the handler has returned
        return h;
    }

    private boolean upgraded;

    private interface Reply {
        void send() throws IOException;
    }

    private Reply reply;

    /**
     * Runs the rest of a hijacked exchange: on a session thread when the connection was upgraded (Jetty sends
     * the 101 only after the handler returns), inline otherwise (the 200 stream belongs to this handler).
     */
    public void detach(Runnable session) throws IOException {
        reply.send();
        if (upgraded) sessions.execute(session);
        else session.run();
    }

    private long savedIdleTimeout = -1;

    /** Long-lived replies (wait, logs -f, events) may be silent for hours: no idle timeout while they last. */
    private void noIdleTimeout() {
        var ep = request.getConnectionMetaData().getConnection().getEndPoint();
        savedIdleTimeout = ep.getIdleTimeout();
        ep.setIdleTimeout(0);
    }

    void restoreIdleTimeout() {
        if (savedIdleTimeout > 0) request.getConnectionMetaData().getConnection().getEndPoint().setIdleTimeout(savedIdleTimeout);
    }

    public Executor sessions() {
        return sessions;
    }

    /** Ends the exchange if the handler did not: an error reply before commit, else closes or aborts its stream. */
    void complete(Throwable failure) {
        if (!completed) {
            if (failure == null) {
                status(204);
            } else {
                // a client still sending a body the handler refused (a PUT of an archive to a missing path) must get
                // to read the answer, not a reset: what it sends is read and dropped first, within bounds
                if (!upgraded && !(failure instanceof IOException) && !(failure instanceof java.io.UncheckedIOException)) {
                    try (InputStream in = body()) {
                        discard(in);
                    } catch (IOException | RuntimeException e) {
                        // the answer goes out all the same
                    }
                }
                error(Errors.status(failure), Errors.message(failure));
            }
            return;
        }
        ResponseStream s = openStream;
        if (s != null) {
            if (failure == null) s.close();
            else s.abort(failure);
        }
    }

    private volatile ResponseStream openStream;


    static void await(Callback.Completable c) throws IOException {
        try {
            c.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof IOException io) throw io;
            throw new IOException(t);
        }
    }

    /** Blocking chunked output over the response. Writes are serialised; a failed write marks the client gone. */
    public static final class ResponseStream extends OutputStream {
        private final Response response;
        private final Callback done;
        private final Exchange exchange;
        private boolean closed;

        ResponseStream(Response response, Callback done, Exchange exchange) {
            this.response = response;
            this.done = done;
            this.exchange = exchange;
        }

        synchronized void commit() throws IOException {
            send(false, BufferUtil.EMPTY_BUFFER);
        }

        private void send(boolean last, ByteBuffer buf) throws IOException {
            if (exchange.clientGone) throw new IOException("client went away");
            Callback.Completable c = new Callback.Completable();
            response.write(last, buf, c);
            try {
                await(c);
            } catch (IOException e) {
                exchange.clientGone = true;
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("stream closed");
            if (len == 0) return;
            byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
            send(false, ByteBuffer.wrap(copy));
        }

        /** Nothing is buffered; a flush only reports a client that is gone (so pollers stop). */
        @Override
        public void flush() throws IOException {
            if (exchange.clientGone) throw new IOException("client went away");
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            if (exchange.clientGone) {
                done.failed(new IOException("client went away"));
                return;
            }
            exchange.restoreIdleTimeout();
            response.write(true, BufferUtil.EMPTY_BUFFER, done);
        }

        /** Ends the reply abnormally (the client sees a truncated chunked body). */
        public synchronized void abort(Throwable t) {
            if (closed) return;
            closed = true;
            done.failed(t);
        }
    }
}
