package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose 1.29 (Debian's {@code docker-compose}, python3-docker 5) against the daemon's socket: a web
 * service (busybox:configured's httpd on a free port) and a client that fetches its page, both
 * {@code network_mode: host} so the client reaches the web service at 127.0.0.1 (andock's default network is
 * its own bridge now, with no service-name DNS between containers); and an idle service on compose's
 * {@code <project>_default} network (a user-defined bridge network: compose 1.29 disconnects and connects it again
 * with the service aliases before start).
 */
class DockerComposeTest {
    static final String COMPOSE = "/usr/bin/docker-compose";
    static DaemonFixture f;
    static Path project;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(COMPOSE)), "docker-compose is not installed (apt-get install docker-compose)");
        f = new DaemonFixture();
        project = f.dir.resolve("compose");
        Files.createDirectories(project);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void upPsLogsDown_twoServices() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // a free host port: the web service listens on the host's network
        }
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "3.8"
                services:
                  web:
                    image: %s
                    network_mode: host
                    command: ["-p", "%d", "-h", "/www"]
                  client:
                    image: %s
                    network_mode: host
                    depends_on: [web]
                    command:
                      - sh
                      - -c
                      - for i in $$(seq 1 30); do wget -qO- http://127.0.0.1:%d/ && break; sleep 1; done; echo client-done; exec sleep 600
                  idle:
                    image: %s
                    command: ["sleep", "600"]
                """.formatted(f.image("busybox:configured"), port, f.image("busybox"), port, f.image("busybox")));

        var up = compose("up", "-d");
        assertThat(up.code()).as(up.all()).isZero();
        assertThat(up.err()).contains("Creating network \"andockcompose_default\"").contains("andockcompose_web_1").contains("andockcompose_client_1").contains("andockcompose_idle_1");
        var net = f.run("network", "inspect", "andockcompose_default");
        assertThat(net.code()).as(net.all()).isZero();
        assertThat(net.out()).contains("\"com.docker.compose.project\": \"andockcompose\"");

        String logs = "";
        for (int i = 0; i < 60 && !logs.contains("client-done"); i++) {
            Thread.sleep(500);
            logs = compose("logs", "--no-color", "client").out();
        }
        assertThat(logs).as(() -> diagnostics()).contains("hello from andock busybox:configured").contains("client-done");

        var ps = compose("ps");
        assertThat(ps.code()).as(ps.all()).isZero();
        assertThat(ps.out()).contains("andockcompose_web_1").contains("andockcompose_client_1");
        assertThat(ps.out().lines().filter(l -> l.startsWith("andockcompose_")).allMatch(l -> l.contains(" Up "))).as(ps.out()).isTrue();
        var q = compose("ps", "-q");
        assertThat(q.out().lines().filter(l -> !l.isBlank()).count()).isEqualTo(3);

        var webLogs = compose("logs", "--no-color", "web");
        assertThat(webLogs.out()).contains("andockcompose_web_1");

        var down = compose("down", "-t", "2");
        assertThat(down.code()).as(down.all()).isZero();
        assertThat(down.err()).contains("Removing network andockcompose_default");
        assertThat(f.run("ps", "-aq").out()).isBlank();
        assertThat(f.run("network", "inspect", "andockcompose_default").code()).isNotZero();
        assertThat(f.run("network", "ls", "-q").out().lines().count()).isEqualTo(3);
    }

    private static String diagnostics() {
        try {
            return compose("logs", "--no-color", "web").all() + f.run("ps", "-a").all()
                    + f.run("inspect", "andockcompose_web_1").all();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static DaemonFixture.Result compose(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(COMPOSE, "-p", "andockcompose"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_") || k.startsWith("COMPOSE_"));
        pb.environment().put("DOCKER_HOST", f.host());
        pb.environment().put("DOCKER_CONFIG", f.dockerConfig.toString());
        return DaemonFixture.collect(pb, null, 180);
    }
}
