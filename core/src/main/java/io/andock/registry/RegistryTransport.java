package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends {@link RegistryRequest}s: picks the endpoint (see {@link Endpoint} for the order), authenticates, retries,
 * follows redirects. Every registry action goes through {@link #call}; none of them sees a 401, a 503 or a
 * redirect.
 *
 * <ul>
 *   <li><b>Auth</b>: each attempt carries {@link Authenticator#authorization}; the first 401 of a call goes to
 *       {@link Authenticator#refresh} and, if it says so, the request is sent once more (not counted as a retry).</li>
 *   <li><b>Retries</b>: connection errors, 5xx and 429 are retried {@code options.retries()} times after a
 *       {@link Backoff} delay (429/503 with Retry-After wait as asked); other 4xx are final. An endpoint that is
 *       not the last in the list gets one attempt only, so a dead mirror or a refused HTTPS costs one try.
 *       Requests that are not {@link RegistryRequest#idempotent() idempotent} (upload steps) get no retries:
 *       their caller knows whether starting over is safe.</li>
 *   <li><b>Bodies</b> are streamed with {@code Content-Length} from {@link RegistryRequest.Body#open}, called
 *       again for the resend after a 401. The time limit of a request with a body is
 *       {@code requestTimeout + length / }{@link #MIN_UPLOAD_RATE}, since the registry answers only once it has
 *       all of it.</li>
 *   <li><b>Stalls</b>: every response body is read under {@link RegistryOptions#readTimeout} (the HttpClient's own
 *       timeout ends at the headers); a stalled body fails as a dropped connection does.</li>
 *   <li><b>Redirects</b> (blob GETs to storage) are followed here, at most 5, for GET and HEAD; the Authorization
 *       header goes only to the registry's own origin (presigned storage URLs reject a second credential).</li>
 * </ul>
 * The HttpClient is shared, HTTP/1.1, and never follows redirects itself. Thread-safe.
 */
final class RegistryTransport {
    private static final int MAX_REDIRECTS = 5;
    /** Bytes per second an upload may not fall below (64 KiB/s): it bounds the wait for a large body's answer. */
    static final long MIN_UPLOAD_RATE = 64 * 1024;

    /** Turns a response into a result; called only with the final response of an attempt. */
    interface Handler<T> {
        /** An IOException (a body cut off) counts as a failed attempt and is retried. */
        T handle(HttpResponse<InputStream> response) throws IOException;
    }

    private final HttpClient http;
    private final RegistryOptions options;
    private final Authenticator auth;
    private final Backoff backoff;

    RegistryTransport(HttpClient http, RegistryOptions options, Authenticator auth) {
        this.http = http;
        this.options = options;
        this.auth = auth;
        this.backoff = new Backoff(options.initialBackoff());
    }

    /** The JVM's default TLS set-up, made at the first HTTPS connection (see {@link DeferredTlsContext}). */
    static HttpClient newHttpClient(RegistryOptions options) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(options.connectTimeout())
                .sslContext(DeferredTlsContext.create())
                .sslParameters(new javax.net.ssl.SSLParameters())
                .build();
    }

    /** Sends {@code req} to the first endpoint that serves it; the last endpoint's error is the one thrown. */
    <T> T call(List<Endpoint> endpoints, RegistryRequest req, Handler<T> handler) {
        for (int i = 0; ; i++) {
            Endpoint ep = endpoints.get(i);
            boolean last = i == endpoints.size() - 1;
            try {
                return exchange(ep, req, handler, last && req.idempotent() ? options.retries() : 0);
            } catch (AndockException e) {
                boolean noAnswer = e.getCause() instanceof IOException;
                if (last || !(ep.mirror() || noAnswer)) throw e;
            }
        }
    }

    private <T> T exchange(Endpoint ep, RegistryRequest req, Handler<T> handler, int retries) {
        boolean authRefreshed = false;
        for (int attempt = 0; ; attempt++) {
            HttpResponse<InputStream> r;
            try {
                r = send(ep, req);
            } catch (IOException e) {
                if (attempt < retries) {
                    Backoff.sleep(backoff.delay(attempt, Optional.empty()).orElseThrow());
                    continue;
                }
                throw RegistryErrors.io(ep.host(), e);
            }
            int status = r.statusCode();
            if (status == 401 && !authRefreshed) {
                authRefreshed = true;
                boolean retry;
                try {
                    retry = auth.refresh(ep, req.scope(), r.headers());
                } catch (AndockException e) {
                    RegistryErrors.readQuietly(r.body());
                    throw e;
                }
                if (retry) {
                    RegistryErrors.readQuietly(r.body());
                    attempt--;
                    continue;
                }
            }
            if ((status == 429 || status >= 500) && attempt < retries) {
                Optional<Duration> d = backoff.delay(attempt, r.headers().firstValue("Retry-After"));
                if (d.isPresent()) {
                    RegistryErrors.readQuietly(r.body());
                    Backoff.sleep(d.get());
                    continue;
                }
            }
            try {
                return handler.handle(r);
            } catch (IOException e) {
                if (attempt < retries) {
                    Backoff.sleep(backoff.delay(attempt, Optional.empty()).orElseThrow());
                    continue;
                }
                throw RegistryErrors.io(ep.host(), e);
            }
        }
    }

    private HttpResponse<InputStream> send(Endpoint ep, RegistryRequest req) throws IOException {
        URI uri = ep.resolve(req.path());
        String authorization = auth.authorization(ep, req.scope());
        boolean redirectable = req.method().equals("GET") || req.method().equals("HEAD");
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .timeout(timeout(req))
                    .method(req.method(), publisher(req.body()));
            req.headers().forEach(b::header);
            if (authorization != null && sameOrigin(uri, ep.base())) b.header("Authorization", authorization);
            HttpResponse<InputStream> r;
            try {
                r = watched(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()), uri);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AndockException(Kind.UNAVAILABLE, "interrupted", e);
            }
            Optional<String> location = r.headers().firstValue("Location");
            if (!redirectable || !isRedirect(r.statusCode()) || location.isEmpty()) return r;
            RegistryErrors.readQuietly(r.body());
            if (hop == MAX_REDIRECTS) {
                throw new AndockException(Kind.UNAVAILABLE, ep.host() + ": too many redirects (last to " + uri.getRawAuthority() + ")");
            }
            try {
                uri = uri.resolve(location.get());
            } catch (IllegalArgumentException e) {
                throw new AndockException(Kind.UNAVAILABLE, ep.host() + ": invalid redirect location \"" + location.get() + "\"");
            }
        }
    }

    /** The response with its body under the idle-read timeout: every body read of every registry action. */
    private HttpResponse<InputStream> watched(HttpResponse<InputStream> r, URI uri) {
        return new WatchedResponse(r, new IdleTimeoutInputStream(r.body(), options.readTimeout(), uri.getRawAuthority()));
    }

    private Duration timeout(RegistryRequest req) {
        if (req.body() == null) return options.requestTimeout();
        return options.requestTimeout().plusSeconds(req.body().length() / MIN_UPLOAD_RATE);
    }

    private static HttpRequest.BodyPublisher publisher(RegistryRequest.Body body) {
        if (body == null) return HttpRequest.BodyPublishers.noBody();
        if (body.length() == 0) return HttpRequest.BodyPublishers.ofByteArray(new byte[0]);
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body.open()),
                body.length());
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getRawAuthority(), b.getRawAuthority());
    }
}
