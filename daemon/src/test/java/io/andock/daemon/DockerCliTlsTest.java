package io.andock.daemon;

import io.andock.AndockException;
import io.andock.engine.EngineConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code -H tcp://127.0.0.1:0 --tlsverify}: a CA, server and client certificates made with the openssl CLI, and the
 * real docker CLI talking mutual TLS to the daemon; clients without a (trusted) certificate are refused.
 */
class DockerCliTlsTest {
    static DaemonFixture f;
    static Path pki;
    static String tcp;

    @BeforeAll
    static void start() throws Exception {
        pki = Files.createTempDirectory("andock-tls-");
        openssl("genrsa", "-out", "ca-key.pem", "2048");
        openssl("req", "-new", "-x509", "-days", "2", "-key", "ca-key.pem", "-subj", "/CN=andock-test-ca", "-out", "ca.pem");
        leaf("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n", "ca");
        leaf("client", "/CN=client", "extendedKeyUsage=clientAuth\n", "ca");
        // a second CA, and a client certificate from it the daemon must not trust
        openssl("genrsa", "-out", "other-ca-key.pem", "2048");
        openssl("req", "-new", "-x509", "-days", "2", "-key", "other-ca-key.pem", "-subj", "/CN=other-ca", "-out", "other-ca.pem");
        leaf("stranger", "/CN=stranger", "extendedKeyUsage=clientAuth\n", "other-ca");

        List<Listener> tls = List.of(Listener.parse("tcp://127.0.0.1:0",
                new Listener.Tls(pki.resolve("ca.pem"), pki.resolve("server-cert.pem"), pki.resolve("server-key.pem"))));
        f = new DaemonFixture(null, tls);
        tcp = f.daemon.addresses().stream().filter(a -> a.startsWith("tcp://")).findFirst().orElseThrow();
        assertThat(tcp).doesNotEndWith(":0");
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void dockerCli_withClientCertificate_versionAndRun() throws Exception {
        var v = tlsDocker("client", "version");
        assertThat(v.code()).as(v.all()).isZero();
        assertThat(v.out()).contains("Server:");
        var r = tlsDocker("client", "run", "--rm", f.image("busybox"), "echo", "hi");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("hi\n");
    }

    @Test
    void clientWithoutCertificate_isRefused() throws Exception {
        // TLS that verifies the daemon but presents no certificate of its own
        var r = docker("--tls", "--tlscacert", pki.resolve("ca.pem").toString(), "-H", tcp, "version");
        assertThat(r.code()).as(r.all()).isNotZero();
        assertThat(r.out()).doesNotContain("Server:");
        // curl likewise, and plain HTTP on the TLS port
        var curl = exec(List.of("curl", "-sS", "--max-time", "10", "--cacert", pki.resolve("ca.pem").toString(),
                "https://127.0.0.1:" + port() + "/_ping"));
        assertThat(curl.code()).as(curl.all()).isNotZero();
        var plain = exec(List.of("curl", "-sS", "--max-time", "10", "http://127.0.0.1:" + port() + "/_ping"));
        assertThat(plain.out()).doesNotContain("OK");
    }

    @Test
    void clientWithCertificateFromAnotherCa_isRefused() throws Exception {
        var r = tlsDocker("stranger", "version");
        assertThat(r.code()).as(r.all()).isNotZero();
        assertThat(r.out()).doesNotContain("Server:");
    }

    @Test
    void plainTcpOffLoopback_isRefusedAtStartUp() {
        EngineConfig config = EngineConfig.of(f.dir.resolve("r2"), f.dir.resolve("c2"));
        assertThatThrownBy(() -> DaemonMain.listeners(List.of("tcp://0.0.0.0:2375"), config, false, null, null, null))
                .isInstanceOf(AndockException.class)
                .hasMessageContaining("refusing plain TCP on 0.0.0.0:2375")
                .hasMessageContaining("--tlsverify");
        assertThatThrownBy(() -> DaemonMain.listeners(List.of("tcp://:2375"), config, false, null, null, null))
                .hasMessageContaining("refusing plain TCP");
        assertThatThrownBy(() -> DaemonMain.listeners(List.of("tcp://0.0.0.0:2376"), config, true, pki.resolve("ca.pem"), null, null))
                .hasMessageContaining("--tlsverify needs --tlscacert, --tlscert and --tlskey");
        // loopback without TLS, and anything with TLS, are fine
        assertThat(DaemonMain.listeners(List.of("tcp://127.0.0.1:2375"), config, false, null, null, null)).hasSize(1);
        assertThat(DaemonMain.listeners(List.of("tcp://0.0.0.0:2376"), config, true,
                pki.resolve("ca.pem"), pki.resolve("server-cert.pem"), pki.resolve("server-key.pem")).get(0).tls()).isNotNull();
    }

    private static int port() {
        return Integer.parseInt(tcp.substring(tcp.lastIndexOf(':') + 1));
    }

    private static DaemonFixture.Result tlsDocker(String who, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("--tlsverify", "--tlscacert", pki.resolve("ca.pem").toString(),
                "--tlscert", pki.resolve(who + "-cert.pem").toString(), "--tlskey", pki.resolve(who + "-key.pem").toString(), "-H", tcp));
        a.addAll(List.of(args));
        return docker(a.toArray(new String[0]));
    }

    /** The docker CLI with no DOCKER_HOST: everything from the flags. */
    private static DaemonFixture.Result docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(DaemonFixture.DOCKER);
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    private static DaemonFixture.Result exec(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(pki.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
        pb.environment().put("DOCKER_CONFIG", f.dockerConfig.toString());
        return DaemonFixture.collect(pb, null, 120);
    }

    private static void leaf(String name, String subject, String ext, String ca) throws Exception {
        openssl("genrsa", "-out", name + "-key.pem", "2048");
        openssl("req", "-new", "-key", name + "-key.pem", "-subj", subject, "-out", name + ".csr");
        Files.writeString(pki.resolve(name + "-ext.cnf"), ext);
        openssl("x509", "-req", "-days", "2", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + "-key.pem",
                "-CAcreateserial", "-out", name + "-cert.pem", "-extfile", name + "-ext.cnf");
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(pki.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("openssl " + String.join(" ", args) + ": " + out).isZero();
    }
}
