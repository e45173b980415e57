package io.andock.hub;

import io.andock.hub.auth.Access;
import io.andock.hub.auth.Tokens;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /token}: the hub is its own Docker token server, so docker login, andock login and skopeo --creds work. */
final class TokenEndpoint {
    private TokenEndpoint() {}

    /** Docker's token protocol: GET with Basic credentials (or none: anonymous), and the OAuth2 password grant. */
    static void serve(Exchange x, Access access) throws IOException {
        if (!access.enabled()) {
            x.json(200, "application/json", tokenBody(Tokens.LIFETIME_SECONDS, "anonymous"));
            return;
        }
        String user;
        List<String> scopes = new ArrayList<>();
        if (x.method.equals("POST")) {
            byte[] body = x.body().readNBytes(64 * 1024 + 1);
            if (body.length > 64 * 1024) throw OciError.sizeInvalid(413, "token request too large");
            Fields f = new Fields();
            org.eclipse.jetty.util.UrlEncoded.decodeUtf8To(new String(body, StandardCharsets.UTF_8), f);
            String grant = f.getValue("grant_type");
            if (!"password".equals(grant)) throw new OciError(400, "UNSUPPORTED", "grant_type " + Names.Printable.of(grant) + " is not supported");
            String u = f.getValue("username"), p = f.getValue("password");
            String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(((u == null ? "" : u) + ":" + (p == null ? "" : p)).getBytes(StandardCharsets.UTF_8));
            user = access.basicUser(basic) == null ? null : u;
            if (user == null) throw unauthorized();
            if (f.getValues("scope") != null) scopes.addAll(f.getValues("scope"));
        } else if (x.method.equals("GET")) {
            var b = access.basicUser(x.header("Authorization"));
            if (b == null) throw unauthorized();
            user = b.orElse(null);
            scopes.addAll(x.params("scope"));
        } else {
            throw OciError.unsupported(x.method + " /token");
        }
        x.id = new Access.Identity(user, null, false);
        String token = access.tokens().issue(user, access.grant(user, scopes));
        x.json(200, "application/json", tokenBody(Tokens.LIFETIME_SECONDS, token));
    }

    private static OciError unauthorized() {
        return new OciError(401, "UNAUTHORIZED", "incorrect username or password").header("WWW-Authenticate", "Basic realm=\"andock hub\"");
    }

    private static Map<String, Object> tokenBody(long lifetime, String token) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", token);
        m.put("access_token", token);
        m.put("expires_in", lifetime);
        m.put("issued_at", Instant.now().toString());
        return m;
    }
}
