package io.andock.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureKitTest {

    private static String curlStatus(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        return Cmd.run(cmd).trim();
    }

    private static String inspectRaw(String ref, String... opts) {
        List<String> cmd = new java.util.ArrayList<>(List.of("skopeo", "inspect", "--raw", "--tls-verify=false"));
        cmd.addAll(List.of(opts));
        cmd.add("docker://" + ref);
        return Cmd.run(cmd);
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void layoutsAreBuilt() {
        assertThat(Fixtures.images().resolve("images.list")).isRegularFile();
        assertThat(Fixtures.imageList()).hasSizeGreaterThanOrEqualTo(24);
        Map<String, Object> index = Fixtures.manifest("busybox", "multiarch");
        assertThat((List<?>) index.get("manifests")).hasSize(3);
        assertThat((String) Json.at(Fixtures.config("busybox", "arm64"), "variant")).isEqualTo("v8");
        assertThat((String) Json.at(Fixtures.config("busybox", "configured"), "config", "User")).isEqualTo("1000:1000");
        assertThat(Fixtures.expected("layers-whiteouts.tsv")).isRegularFile();
        assertThat(Fixtures.layout("evil-raw").resolve("index.json")).isRegularFile();
    }

    @Test
    void sharedRegistryServesEverything() throws Exception {
        TestRegistry reg = TestRegistry.shared();
        String catalog = Cmd.run("curl", "-fsS", "http://" + reg.host() + "/v2/_catalog");
        assertThat(catalog).contains("\"busybox\"", "\"layers\"", "\"evil\"");

        String index = inspectRaw(reg.ref("busybox:multiarch"));
        assertThat(sha256(index.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(Fixtures.manifestDigest("busybox", "multiarch"));
        assertThat(inspectRaw(reg.ref("busybox:multiarch-v2s2"))).contains("application/vnd.docker.distribution.manifest.list.v2+json");
        assertThat(inspectRaw(reg.ref("layers:zstd"))).contains("application/vnd.oci.image.layer.v1.tar+zstd");
        assertThat(Cmd.run("curl", "-fsS", "http://" + reg.host() + "/v2/evil/tags/list")).contains("corrupt-blob", "tarbomb");

        // evil:corrupt-blob: the registry serves bytes that do not match the digest
        Path out = Files.createTempDirectory("andock-corrupt");
        Cmd.Result r = Cmd.exec("skopeo", "copy", "--src-tls-verify=false", "docker://" + reg.ref("evil:corrupt-blob"), "oci:" + out + ":x");
        assertThat(r.ok()).isFalse();
        assertThat(r.stderr()).contains("Digest did not match");
        Cmd.run("rm", "-rf", out.toString());
    }

    @Test
    void basicAuth() {
        try (TestRegistry reg = TestRegistry.builder().basicAuth("alice", "s3cret pw").start()) {
            assertThat(curlStatus("http://" + reg.host() + "/v2/")).isEqualTo("401");
            assertThat(curlStatus("-u", "alice:s3cret pw", "http://" + reg.host() + "/v2/")).isEqualTo("200");
            assertThat(curlStatus("-u", "alice:wrong", "http://" + reg.host() + "/v2/")).isEqualTo("401");
            reg.push("busybox:latest");
            assertThat(inspectRaw(reg.ref("busybox:latest"), "--creds", "alice:s3cret pw")).contains("layers");
            assertThat(Cmd.exec("skopeo", "inspect", "--raw", "--tls-verify=false", "--no-creds", "docker://" + reg.ref("busybox:latest")).ok()).isFalse();
        }
    }

    @Test
    void tokenAuth() {
        try (TokenServer tokens = new TokenServer().user("bob", "bobpw").anonymousPull("busybox");
             TestRegistry reg = TestRegistry.builder().tokenAuth(tokens).start()) {
            String headers = Cmd.run("curl", "-s", "-D", "-", "-o", "/dev/null", "http://" + reg.host() + "/v2/");
            assertThat(headers).contains("401").containsIgnoringCase("www-authenticate: Bearer realm=\"" + tokens.realm() + "\"");

            reg.push("busybox:latest", "layers:whiteouts");   // as the admin user, through the token flow
            assertThat(tokens.requests()).anyMatch(q -> TokenServer.ADMIN_USER.equals(q.user()) && q.scopes().stream().anyMatch(s -> s.contains("push")));

            tokens.clearRequests();
            assertThat(inspectRaw(reg.ref("busybox:latest"), "--no-creds")).contains("layers");   // anonymous pull token
            assertThat(tokens.requests()).anyMatch(q -> q.anonymous() && q.granted().contains("repository:busybox:pull"));

            assertThat(Cmd.exec("skopeo", "inspect", "--raw", "--tls-verify=false", "--no-creds", "docker://" + reg.ref("layers:whiteouts")).ok()).isFalse();
            assertThat(inspectRaw(reg.ref("layers:whiteouts"), "--creds", "bob:bobpw")).contains("layers");
            assertThat(tokens.requests()).anyMatch(q -> "bob".equals(q.user()) && q.status() == 200);

            assertThat(Cmd.exec("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", "bob:wrong", "docker://" + reg.ref("layers:whiteouts")).ok()).isFalse();
            assertThat(tokens.requests()).anyMatch(q -> "bob".equals(q.user()) && q.status() == 401);
        }
    }

    @Test
    void cuttingProxyForcesAResume(@TempDir Path tmp) throws Exception {
        TestRegistry reg = TestRegistry.shared();
        List<Object> layers = Json.at(Fixtures.manifest("busybox", "latest"), "layers");
        String digest = Json.at(layers.get(0), "digest");
        try (CuttingProxy proxy = new CuttingProxy(reg.host())) {
            String url = "http://" + proxy.host() + "/v2/busybox/blobs/" + digest;
            Path file = tmp.resolve("blob");
            proxy.cutNextBlob(100_000);
            Cmd.Result first = Cmd.exec("curl", "-sS", "-o", file.toString(), url);
            assertThat(first.ok()).isFalse();
            assertThat(Files.size(file)).isEqualTo(100_000);
            Cmd.run("curl", "-fsS", "-C", "-", "-o", file.toString(), url);   // resumes with Range: bytes=100000-
            assertThat(sha256(Files.readAllBytes(file))).isEqualTo(digest);
            assertThat(proxy.rangeHeaders()).containsExactly("bytes=100000-");
            assertThat(proxy.cuts()).isEqualTo(1);
            assertThat(proxy.connections()).isEqualTo(2);
        }
    }

    @Test
    void sentinelsNoticeEscapes(@TempDir Path tmp) throws Exception {
        EvilSentinels traps = EvilSentinels.prepare(tmp.resolve("bundle/rootfs"));
        assertThat(traps.problems()).isEmpty();
        Files.writeString(tmp.resolve("bundle/andock-evil-escaped"), "x");
        assertThat(traps.problems()).anyMatch(p -> p.contains("andock-evil-escaped"));
        traps.cleanup();
    }
}
