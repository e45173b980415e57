package io.andock.hub;

import io.andock.engine.Engine;
import io.andock.engine.EngineConfig;
import io.andock.hub.auth.Htpasswd;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Users from htpasswd (bcrypt), rights per prefix, anonymous pull, the hub's own token server, TLS from PEM files. */
@Tag("registry")
class AuthTest {

    static Path htpasswd(Path dir) {
        Path f = dir.resolve("users.htpasswd");
        Cmd.run("htpasswd", "-cbB", f.toString(), "alice", "alice-pw");
        Cmd.run("htpasswd", "-bB", f.toString(), "bob", "bob-pw");
        return f;
    }

    static HubConfig.Auth auth(Path users, boolean anonymousPull) {
        return new HubConfig.Auth(users, anonymousPull, List.of(
                new HubConfig.Rule(List.of("alice"), "", Set.of("*")),
                new HubConfig.Rule(List.of("bob"), "bob/", Set.of("pull", "push"))));
    }

    static String basic(String user, String pw) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes());
    }

    @Test
    void htpasswdBcryptHashesOfApacheHtpasswdVerify() throws Exception {
        Path dir = Files.createTempDirectory("andock-hub-htpasswd");
        Htpasswd h = Htpasswd.load(htpasswd(dir));
        assertThat(h.verify("alice", "alice-pw")).isTrue();
        assertThat(h.verify("alice", "bob-pw")).isFalse();
        assertThat(h.verify("carol", "alice-pw")).isFalse();
        assertThat(h.verify("alice", "x".repeat(100))).isFalse();
        // jBCrypt's own vector, as $2a$ and as $2y$/$2b$
        String v = "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";
        assertThat(Htpasswd.of(Map.of("u", v)).verify("u", "abc")).isTrue();
        assertThat(Htpasswd.of(Map.of("u", "$2y$" + v.substring(4))).verify("u", "abc")).isTrue();
        assertThat(Htpasswd.of(Map.of("u", "$2b$" + v.substring(4))).verify("u", "abcd")).isFalse();
        // other schemes are refused when the file is read
        Path md5 = dir.resolve("md5");
        Cmd.run("htpasswd", "-cbm", md5.toString(), "old", "pw");
        assertThat(catchThrowable(() -> Htpasswd.load(md5))).hasMessageContaining("no bcrypt hash").hasMessageContaining("htpasswd -B");
        io.andock.os.FileTrees.removeTree(dir);
    }

    @Test
    void tokenServerGrantsWhatTheUserMayDo() throws Exception {
        Path dir = Files.createTempDirectory("andock-hub-auth");
        try (HubFixture hub = HubFixture.start(c -> c.withAuth(auth(htpasswd(dir), true)))) {
            HttpResponse<String> ping = hub.send("GET", "/v2/", null, Map.of());
            assertThat(ping.statusCode()).isEqualTo(401);
            assertThat(ping.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .isEqualTo("Bearer realm=\"" + hub.url() + "/token\",service=\"andock-hub\"");
            assertThat(ping.body()).contains("UNAUTHORIZED");
            // a wrong password gets no token
            assertThat(hub.send("GET", "/token?service=andock-hub", null, Map.of("Authorization", basic("alice", "nope"))).statusCode()).isEqualTo(401);
            // bob asks for push on team/ and bob/: gets bob/ only
            HttpResponse<String> t = hub.send("GET", "/token?service=andock-hub&scope=repository:team/app:pull,push&scope=repository:bob/app:pull,push",
                    null, Map.of("Authorization", basic("bob", "bob-pw")));
            assertThat(t.statusCode()).isEqualTo(200);
            String token = io.andock.json.JsonObject.parse(t.body().getBytes()).string("token");
            Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
            assertThat(hub.send("POST", "/v2/bob/app/blobs/uploads/", null, bearer).statusCode()).isEqualTo(202);
            HttpResponse<String> denied = hub.send("POST", "/v2/team/app/blobs/uploads/", null, bearer);
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.body()).contains("DENIED");
            // a forged token is no token
            assertThat(hub.send("GET", "/v2/", null, Map.of("Authorization", "Bearer " + token.substring(0, token.length() - 2) + "xx")).statusCode()).isEqualTo(401);
            // anonymous: a token with pull only
            HttpResponse<String> anon = hub.send("GET", "/token?service=andock-hub&scope=repository:team/app:pull,push", null, Map.of());
            String at = io.andock.json.JsonObject.parse(anon.body().getBytes()).string("token");
            Map<String, String> anonBearer = Map.of("Authorization", "Bearer " + at);
            assertThat(hub.send("GET", "/v2/team/app/tags/list", null, anonBearer).statusCode()).isEqualTo(404); // allowed, just empty
            assertThat(hub.send("POST", "/v2/team/app/blobs/uploads/", null, anonBearer).statusCode()).isEqualTo(401);
            // OAuth2 password grant (docker's refresh-token path)
            HttpResponse<String> oauth = hub.send("POST", "/token", "grant_type=password&username=alice&password=alice-pw&service=andock-hub&scope=repository:x:pull"
                    .getBytes(), Map.of("Content-Type", "application/x-www-form-urlencoded"));
            assertThat(oauth.statusCode()).isEqualTo(200);
            assertThat(oauth.body()).contains("access_token");
        } finally {
            io.andock.os.FileTrees.removeTree(dir);
        }
    }

    @Test
    void skopeoCredsAndAndockLoginWork() throws Exception {
        Fixtures.assumeAvailable();
        Path dir = Files.createTempDirectory("andock-hub-auth");
        try (HubFixture hub = HubFixture.start(c -> c.withAuth(auth(htpasswd(dir), false)))) {
            String ref = "docker://" + hub.host() + "/bob/busybox:1";
            String src = "oci:" + Fixtures.layout("busybox") + ":latest";
            assertThat(HubFixture.run(List.of("skopeo", "copy", "--dest-tls-verify=false", src, ref)).exitCode()).isNotZero();
            assertThat(HubFixture.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "bob:wrong", src, ref)).exitCode()).isNotZero();
            HubFixture.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "bob:bob-pw", src, ref)).check();
            Cmd.Result other = HubFixture.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "bob:bob-pw", src,
                    "docker://" + hub.host() + "/team/busybox:1"));
            assertThat(other.exitCode()).isNotZero();
            assertThat(other.stderr()).containsAnyOf("denied", "403");
            assertThat(HubFixture.run(List.of("skopeo", "inspect", "--tls-verify=false", "--creds", "alice:alice-pw", ref)).exitCode()).isZero();

            Path root = Files.createTempDirectory("andock-hub-engine");
            try (Engine engine = Engine.open(EngineConfig.of(root.resolve("root"), root.resolve("config")))) {
                assertThat(catchThrowable(() -> engine.transfers().login(hub.host(), "bob", "wrong"))).isNotNull();
                engine.transfers().login(hub.host(), "bob", "bob-pw");
                engine.images().pull(hub.host() + "/bob/busybox:1", null, null);
                engine.images().tag(hub.host() + "/bob/busybox:1", hub.host() + "/bob/again:2");
                engine.transfers().push(hub.host() + "/bob/again:2", null);
                assertThat(catchThrowable(() -> {
                    engine.images().tag(hub.host() + "/bob/busybox:1", hub.host() + "/team/nope:1");
                    engine.transfers().push(hub.host() + "/team/nope:1", null);
                })).isNotNull();
            } finally {
                io.andock.os.FileTrees.removeTree(root);
            }
        } finally {
            io.andock.os.FileTrees.removeTree(dir);
        }
    }

    @Test
    void servesTlsFromCertAndKeyFiles() throws Exception {
        Fixtures.assumeAvailable();
        Path dir = Files.createTempDirectory("andock-hub-tls");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Cmd.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("hub.key").toString(), "-out", certs.resolve("ca.crt").toString());
        try (HubFixture hub = HubFixture.start(c -> c.withTls(new HubConfig.Tls(certs.resolve("ca.crt"), dir.resolve("hub.key")))
                .withAuth(auth(htpasswd(dir), true)))) {
            assertThat(hub.url()).startsWith("https://");
            Cmd.Result curl = Cmd.exec("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", certs.resolve("ca.crt").toString(),
                    "-u", "alice:alice-pw", hub.url() + "/token");
            assertThat(curl.stdout()).isEqualTo("200");
            HubFixture.run(List.of("skopeo", "copy", "--dest-cert-dir", certs.toString(), "--dest-creds", "alice:alice-pw",
                    "oci:" + Fixtures.layout("busybox") + ":latest", "docker://" + hub.host() + "/tls/busybox:1")).check();
            String digest = HubFixture.run(List.of("skopeo", "inspect", "--cert-dir", certs.toString(), "--format", "{{.Digest}}",
                    "docker://" + hub.host() + "/tls/busybox:1")).check().stdout().trim();
            assertThat(digest).isEqualTo(Fixtures.manifestDigest("busybox", "latest"));
            // plain HTTP on the TLS port is refused
            Cmd.Result plain = Cmd.exec("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://" + hub.host() + "/v2/");
            assertThat(plain.stdout()).isNotEqualTo("200");
        } finally {
            io.andock.os.FileTrees.removeTree(dir);
        }
    }
}
