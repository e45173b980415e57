package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * What to put in {@code Authorization}, and the one place that reacts to a 401.
 *
 * <p>Protocol: a request goes out with what we already hold for its (registry, scope) — a cached Bearer token, or
 * Basic credentials once the registry has asked for Basic — or with nothing. On a 401 the transport calls
 * {@link #refresh} once; it reads the {@code WWW-Authenticate} challenge and
 * <ul>
 *   <li>{@code Bearer realm,service[,scope]}: drops any cached token for the scope and gets a new one with
 *       {@code GET realm?service=…&scope=…} — anonymous, or with the registry's credentials as Basic (and
 *       {@code account=user}), as Docker does; the answer's {@code token} or {@code access_token} is cached until
 *       shortly before {@code expires_in} (default 60 s) runs out;</li>
 *   <li>{@code Basic}: remembers the registry wants Basic, if we have credentials for it.</li>
 * </ul>
 * and the transport retries the request once. Thread-safe; a token is shared by every request of its scope.
 */
final class Authenticator {
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    /** A token is asked for again after at most this long, whatever {@code expires_in} said. */
    static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(24);
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;

    private record Token(String value, Instant expires) {
    }

    private final HttpClient http;
    private final Duration timeout;
    private final Duration readTimeout;
    private final Function<String, Optional<Credentials>> credentials;
    private final ConcurrentMap<String, Token> tokens = new ConcurrentHashMap<>();
    private final Set<String> basicRegistries = ConcurrentHashMap.newKeySet();

    /** @param credentials registry name ({@code docker.io}, {@code host:port}) → its credentials, if any */
    Authenticator(HttpClient http, Duration timeout, Duration readTimeout,
                  Function<String, Optional<Credentials>> credentials) {
        this.http = http;
        this.timeout = timeout;
        this.readTimeout = readTimeout;
        this.credentials = credentials;
    }

    /** The Authorization header for a request to {@code ep} needing {@code scope}, or null to send none. */
    String authorization(Endpoint ep, String scope) {
        Token t = tokens.get(key(ep, scope));
        if (t != null && Instant.now().isBefore(t.expires())) return "Bearer " + t.value();
        if (basicRegistries.contains(ep.registry())) {
            return credentials.apply(ep.registry()).map(Credentials::basicHeader).orElse(null);
        }
        return null;
    }

    /**
     * After a 401 from {@code ep}: gets what the retry needs from the challenge in {@code headers}. Returns
     * whether a retry can succeed (false: no challenge we can answer, or Basic without credentials).
     *
     * @throws AndockException UNAUTHORIZED when the token server refuses the credentials, UNAVAILABLE when it
     *                         cannot be reached
     */
    boolean refresh(Endpoint ep, String scope, HttpHeaders headers) {
        tokens.remove(key(ep, scope));
        List<Challenge> challenges = Challenge.parseAll(headers.allValues("WWW-Authenticate"));
        for (Challenge c : challenges) {
            if (c.isBearer() && c.param("realm") != null) {
                String s = scope != null ? scope : c.param("scope");
                tokens.put(key(ep, scope), fetchToken(ep, c, s));
                return true;
            }
        }
        for (Challenge c : challenges) {
            if (c.isBasic()) {
                if (credentials.apply(ep.registry()).isEmpty()) return false;
                basicRegistries.add(ep.registry());
                return true;
            }
        }
        return false;
    }

    private Token fetchToken(Endpoint ep, Challenge c, String scope) {
        Optional<Credentials> creds = credentials.apply(ep.registry());
        StringBuilder q = new StringBuilder();
        if (c.param("service") != null) param(q, "service", c.param("service"));
        if (scope != null) for (String s : scope.split(" ")) param(q, "scope", s);
        creds.ifPresent(cr -> param(q, "account", cr.username()));
        String realm = c.param("realm");
        URI uri;
        try {
            uri = URI.create(realm + (q.length() == 0 ? "" : (realm.contains("?") ? "&" : "?") + q));
        } catch (IllegalArgumentException e) {
            throw new AndockException(Kind.UNAVAILABLE, ep.host() + ": invalid token realm \"" + realm + "\"");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new AndockException(Kind.UNAVAILABLE, ep.host() + ": invalid token realm \"" + realm + "\"");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        creds.ifPresent(cr -> b.header("Authorization", cr.basicHeader()));
        HttpResponse<InputStream> r;
        byte[] body;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = new IdleTimeoutInputStream(r.body(), readTimeout, uri.getRawAuthority())) {
                body = in.readNBytes(MAX_TOKEN_RESPONSE);
            }
        } catch (IOException e) {
            throw RegistryErrors.io(uri.getRawAuthority(), e).withContext("get token for " + ep.host());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(Kind.UNAVAILABLE, "interrupted", e);
        }
        if (r.statusCode() != 200) {
            AndockException e = RegistryErrors.of(r.statusCode(), body, "access denied for " + ep.host());
            if (e.kind() == Kind.UNAUTHORIZED) {
                String why = creds.isPresent() ? "incorrect username or password" : "anonymous access refused";
                e = new AndockException(Kind.UNAUTHORIZED, why + " (token server " + uri.getRawAuthority()
                        + " answered " + r.statusCode() + ")");
            }
            throw e.withContext("get token for " + ep.host());
        }
        JsonObject o;
        try {
            o = JsonObject.parse(body);
        } catch (AndockException e) {
            throw new AndockException(Kind.UNAVAILABLE, "get token for " + ep.host() + ": token server sent invalid JSON");
        }
        String token = o.string("token", o.string("access_token"));
        if (token == null || token.isEmpty()) {
            throw new AndockException(Kind.UNAVAILABLE, "get token for " + ep.host() + ": token server sent no token");
        }
        long seconds = lifetimeSeconds(o.map().get("expires_in"));
        long margin = Math.min(10, seconds / 10);
        return new Token(token, Instant.now().plusSeconds(seconds - margin));
    }

    private static void param(StringBuilder q, String name, String value) {
        if (q.length() > 0) q.append('&');
        q.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String key(Endpoint ep, String scope) {
        return ep.registry() + " " + (scope == null ? "" : scope);
    }

    /**
     * {@code expires_in} as seconds within 1 s .. {@link #MAX_TOKEN_LIFETIME}: absent, not a number, zero or negative
     * means the default (60 s, as the distribution spec says); a huge one (Long.MAX_VALUE) is capped rather than
     * overflowing the expiry instant.
     */
    static long lifetimeSeconds(Object expiresIn) {
        double v;
        if (expiresIn instanceof Number n) v = n.doubleValue();
        else if (expiresIn instanceof String str) {
            try {
                v = Double.parseDouble(str.strip());
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
        } else v = Double.NaN;
        if (!(v >= 1)) return DEFAULT_TOKEN_LIFETIME.toSeconds(); // NaN, zero and negative included
        return (long) Math.min(v, MAX_TOKEN_LIFETIME.toSeconds());
    }
}
