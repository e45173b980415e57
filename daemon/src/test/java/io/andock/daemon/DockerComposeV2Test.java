package io.andock.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker compose v2 (the Go module {@code github.com/docker/compose/v5}, built by {@code .ci/run} into
 * {@code ~/.cache/andock-ci/bin}) as the docker CLI's plugin, against the daemon: a web server (busybox httpd), a
 * client that reaches it by service name once it is healthy ({@code condition: service_healthy}, its
 * healthcheck run by andock), and a one-shot job the client waits for ({@code condition: service_completed_successfully}); {@code up -d}, {@code ps}, {@code logs}, {@code exec},
 * {@code down -v}. Under oci the services are on compose's {@code <project>_default} bridge network and find
 * each other through their hosts files; under proot (the host's network) the same names resolve to loopback.
 */
class DockerComposeV2Test {
    static final Path COMPOSE = Path.of(System.getProperty("user.home"), ".cache/andock-ci/bin/docker-compose");

    @Test
    void threeServices_onABridgeNetwork_oci(@TempDir Path tmp) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "bridge networks need root and the CNI plugins");
        upPsLogsExecDown(tmp, "oci");
    }

    @Test
    void threeServices_onTheHostsNetwork_proot(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/proot")), "proot is not installed");
        upPsLogsExecDown(tmp, "proot");
    }

    private void upPsLogsExecDown(Path tmp, String driver) throws Exception {
        assumeTrue(Files.isExecutable(COMPOSE), "docker compose v2 is not built (.ci/run builds it into " + COMPOSE.getParent() + ")");
        try (DaemonFixture f = DaemonFixture.withDriver(driver)) {
            Path plugins = Files.createDirectories(f.dockerConfig.resolve("cli-plugins"));
            Files.createSymbolicLink(plugins.resolve("docker-compose"), COMPOSE);
            Path project = Files.createDirectories(tmp.resolve("v2"));
            int port = freePort(); // proot: the web server listens on the host's network
            Files.writeString(project.resolve("compose.yaml"), """
                    services:
                      web:
                        image: %s
                        command: ["-p", "%d", "-h", "/www"]
                        healthcheck:
                          test: ["CMD", "wget", "-qO-", "http://127.0.0.1:%d/"]
                          interval: 500ms
                          retries: 60
                      migrate:
                        image: %s
                        command: ["sh", "-c", "echo migrated"]
                      client:
                        image: %s
                        depends_on:
                          web:
                            condition: service_healthy
                          migrate:
                            condition: service_completed_successfully
                        command:
                          - sh
                          - -c
                          - for i in $$(seq 1 60); do wget -qO- http://web:%d/ && break; sleep 1; done; echo client-done; exec sleep 600
                    """.formatted(f.image("busybox:configured"), port, port, f.image("busybox"), f.image("busybox"), port));

            var up = compose(f, project, "up", "-d");
            assertThat(up.code()).as(up.all()).isZero();
            String network = f.run("network", "inspect", "-f", "{{.Name}} {{index .Labels \"com.docker.compose.network\"}}", "andockv2_default").out();
            assertThat(network.strip()).isEqualTo("andockv2_default default");

            String logs = "";
            for (int i = 0; i < 120 && !logs.contains("client-done"); i++) {
                Thread.sleep(500);
                logs = compose(f, project, "logs", "--no-color", "client").out();
            }
            assertThat(logs).as(() -> diagnostics(f, project)).contains("hello from andock busybox:configured").contains("client-done");
            assertThat(compose(f, project, "logs", "--no-color", "migrate").out()).contains("migrated");

            var ps = compose(f, project, "ps", "--format", "{{.Service}} {{.State}}");
            assertThat(ps.code()).as(ps.all()).isZero();
            assertThat(ps.out().lines().sorted().toList()).as(ps.all()).containsExactly("client running", "web running");
            assertThat(compose(f, project, "ps", "--format", "{{.Service}} {{.Health}}").out()).contains("web healthy");
            var all = compose(f, project, "ps", "-a", "--format", "{{.Service}} {{.State}} {{.ExitCode}}");
            assertThat(all.out()).contains("migrate exited 0");

            var exec = compose(f, project, "exec", "-T", "client", "wget", "-qO-", "http://web:" + port + "/");
            assertThat(exec.code()).as(exec.all()).isZero();
            assertThat(exec.out()).contains("hello from andock busybox:configured");

            var down = compose(f, project, "down", "-v", "-t", "2");
            assertThat(down.code()).as(down.all()).isZero();
            assertThat(f.run("ps", "-aq").out()).isBlank();
            assertThat(f.run("network", "inspect", "andockv2_default").code()).isNotZero();
        }
    }

    private static String diagnostics(DaemonFixture f, Path project) {
        try {
            return compose(f, project, "logs", "--no-color").all() + f.run("ps", "-a").all() + f.run("inspect", "andockv2-client-1").all();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static DaemonFixture.Result compose(DaemonFixture f, Path project, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("compose", "-p", "andockv2", "--project-directory", project.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = f.docker(cmd.toArray(String[]::new)).directory(project.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("COMPOSE_"));
        return DaemonFixture.collect(pb, null, 240);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
