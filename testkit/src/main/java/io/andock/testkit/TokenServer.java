package io.andock.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Docker's Bearer token flow for a {@link TestRegistry}: {@code GET /token?service=..&scope=..}
 * (Basic credentials optional) answers {@code {"token": JWT, "access_token": JWT, ...}}, the JWT
 * signed RS256 by a key whose self-signed certificate (made with the {@code openssl} CLI) is the
 * registry's {@code rootcertbundle}; the JWT header carries it as {@code x5c}.
 *
 * <p>Policy: {@link #ADMIN_USER} and {@link #user added users} get every action they ask for
 * (pull, push, delete, catalog); anonymous clients get {@code pull} on {@link #anonymousPull public
 * repositories} only, nothing else (the registry then answers 401). Wrong credentials: 401 from
 * here. Every request is {@link #requests() recorded}.
 */
public final class TokenServer implements AutoCloseable {
    public static final String ADMIN_USER = "andock-admin";
    public static final String ADMIN_PASSWORD = "andock-admin-pw";

    /** One request to the token endpoint: {@code user} null when anonymous; {@code status} 200 or 401. */
    public record Request(String user, String service, List<String> scopes, List<String> granted, int status, String query) {
        public boolean anonymous() { return user == null; }
    }

    private final Path dir;
    private final PrivateKey key;
    private final X509Certificate cert;
    private final HttpServer http;
    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final Set<String> publicRepos = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile long ttlSeconds = 300;
    private volatile String expiresInJson;
    private final String service = "andock-testkit-registry", issuer = "andock-testkit-token-server";

    public TokenServer() {
        try {
            dir = Files.createTempDirectory("andock-token-");
            Cmd.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=andock-testkit-token",
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
            String pem = Files.readString(dir.resolve("key.pem")).replaceAll("-----[A-Z ]+-----|\\s", "");
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            users.put(ADMIN_USER, ADMIN_PASSWORD);
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            http.createContext("/token", this::handle);
            http.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a user with full access. */
    public TokenServer user(String name, String password) { users.put(name, password); return this; }

    /** Lets anonymous clients pull these repositories (e.g. "busybox"). */
    public TokenServer anonymousPull(String... repositories) { publicRepos.addAll(List.of(repositories)); return this; }

    /** Lifetime of issued tokens (default 300 s; the registry allows 60 s of leeway). */
    public TokenServer tokenTtlSeconds(long seconds) { ttlSeconds = seconds; return this; }

    /** Answers with this raw JSON as {@code expires_in} ({@code 9223372036854775807}, {@code -5}, {@code "soon"}); null: the ttl. */
    public TokenServer expiresInJson(String rawJson) { expiresInJson = rawJson; return this; }

    public String realm() { return "http://127.0.0.1:" + http.getAddress().getPort() + "/token"; }

    public String service() { return service; }

    public String issuer() { return issuer; }

    public Path rootCertBundle() { return dir.resolve("cert.pem"); }

    public List<Request> requests() { return Collections.unmodifiableList(new ArrayList<>(requests)); }

    public void clearRequests() { requests.clear(); }

    /** A signed token for {@code subject} granting {@code access} ("repository:busybox:pull,push"...). */
    public String issue(String subject, List<String> access) {
        try {
            long now = Instant.now().getEpochSecond();
            List<Object> claims = new ArrayList<>();
            for (String scope : access) {
                String[] s = parseScope(scope);
                claims.add(Map.of("type", s[0], "name", s[1], "actions", List.of(s[2].split(","))));
            }
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            header.put("x5c", List.of(Base64.getEncoder().encodeToString(cert.getEncoded())));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("iss", issuer);
            body.put("sub", subject == null ? "" : subject);
            body.put("aud", service);
            body.put("exp", now + ttlSeconds);
            body.put("nbf", now - 10);
            body.put("iat", now);
            body.put("jti", UUID.randomUUID().toString());
            body.put("access", claims);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signingInput = b64.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(Json.write(body).getBytes(StandardCharsets.UTF_8));
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(key);
            sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(sig.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** type, name, actions of "type:name:actions" (the name may hold ':' of a host:port). */
    private static String[] parseScope(String scope) {
        int a = scope.indexOf(':'), b = scope.lastIndexOf(':');
        if (a < 0 || a == b) throw new IllegalArgumentException("bad scope " + scope);
        return new String[] {scope.substring(0, a), scope.substring(a + 1, b), scope.substring(b + 1)};
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            String svc = null;
            List<String> scopes = new ArrayList<>();
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                if (eq < 0) continue;
                String k = URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                if (k.equals("service")) svc = v;
                if (k.equals("scope")) scopes.addAll(List.of(v.split(" ")));
            }
            String user = null;
            String authz = ex.getRequestHeaders().getFirst("Authorization");
            if (authz != null && authz.regionMatches(true, 0, "Basic ", 0, 6)) {
                String up = new String(Base64.getDecoder().decode(authz.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = up.indexOf(':');
                user = colon < 0 ? up : up.substring(0, colon);
                String pw = colon < 0 ? "" : up.substring(colon + 1);
                if (!pw.equals(users.get(user))) {
                    requests.add(new Request(user, svc, List.copyOf(scopes), List.of(), 401, query));
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"andock-testkit-token\"");
                    send(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                    return;
                }
            }
            List<String> granted = new ArrayList<>();
            for (String scope : scopes) {
                String[] s;
                try {
                    s = parseScope(scope);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (user != null) {
                    granted.add(scope);
                } else if (s[0].equals("repository") && publicRepos.contains(s[1]) && List.of(s[2].split(",")).contains("pull")) {
                    granted.add("repository:" + s[1] + ":pull");
                }
            }
            requests.add(new Request(user, svc, List.copyOf(scopes), List.copyOf(granted), 200, query));
            String token = issue(user, granted);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", token);
            body.put("access_token", token);
            body.put("expires_in", ttlSeconds);
            body.put("issued_at", Instant.now().toString());
            String json = Json.write(body);
            String raw = expiresInJson;
            if (raw != null) {
                body.remove("expires_in");
                String rest = Json.write(body);
                json = "{\"expires_in\":" + raw + "," + rest.substring(rest.indexOf('{') + 1);
            }
            send(ex, 200, json);
        }
    }

    private static void send(HttpExchange ex, int code, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        http.stop(0);
        Cmd.exec("rm", "-rf", dir.toString());
    }
}
