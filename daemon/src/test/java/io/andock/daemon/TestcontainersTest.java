package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Testcontainers 2.0.5 against the daemon on the socket that surefire's environment names
 * ({@code DOCKER_HOST=unix:///tmp/andock-tc/andock.sock}, {@code TESTCONTAINERS_RYUK_DISABLED=true}: the real ryuk
 * image cannot be pulled here, there is no Docker Hub; {@link TestcontainersRyukTest} runs with a reaper that
 * speaks its protocol).
 */
class TestcontainersTest {
    static final Path SOCKET = Path.of("/tmp/andock-tc/andock.sock");
    static DaemonFixture f;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(("unix://" + SOCKET).equals(System.getenv("DOCKER_HOST")), "DOCKER_HOST must point at " + SOCKET);
        f = new DaemonFixture(SOCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    @Test
    void genericContainer_exposedPort_waitForHttp_exec_logs() throws Exception {
        var image = DockerImageName.parse(f.image("busybox:configured"));
        try (GenericContainer<?> web = new GenericContainer<>(image).withExposedPorts(8080).waitingFor(Wait.forHttp("/"))) {
            web.start();
            int port = web.getMappedPort(8080);
            String body = DockerCliContainersTest.httpGet("http://" + web.getHost() + ":" + port + "/");
            assertThat(body).contains("hello from andock");
            var r = web.execInContainer("sh", "-c", "echo exec-out; echo exec-err >&2; exit 2");
            assertThat(r.getExitCode()).isEqualTo(2);
            assertThat(r.getStdout()).isEqualTo("exec-out\n");
            assertThat(r.getStderr()).isEqualTo("exec-err\n");
            assertThat(web.getLogs()).contains("response:200");
        }
    }

    @Test
    void genericContainer_defaultHostPortWaitStrategy() {
        var image = DockerImageName.parse(f.image("busybox:configured"));
        try (GenericContainer<?> web = new GenericContainer<>(image).withExposedPorts(8080)) {
            web.start();
            assertThat(web.isRunning()).isTrue();
        }
    }
}
