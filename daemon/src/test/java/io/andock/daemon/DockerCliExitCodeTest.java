package io.andock.daemon;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the daemon, a container's exit code is its first process's though it leaves background processes
 * (attached {@code docker run --rm}, and {@code docker wait} on a detached one), with every driver.
 */
class DockerCliExitCodeTest {
    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void backgroundProcessesLeftBehind_doNotDecideTheExitCode(String driver) throws Exception {
        try (DaemonFixture f = DaemonFixture.withDriver(driver)) {
            String bb = f.image("busybox");
            assertThat(f.run("pull", "-q", bb).code()).isZero();
            var attached = f.run("run", "--rm", bb, "sh", "-c", "sleep 1 & exit 2");
            assertThat(attached.code()).as(driver + ": " + attached.all()).isEqualTo(2);
            var zero = f.run("run", "--rm", bb, "sh", "-c", "sleep 8 & sleep 0.3; exit 0");
            assertThat(zero.code()).as(driver + ": " + zero.all()).isZero();
            String id = f.run("run", "-d", bb, "sh", "-c", "sleep 30 & sleep 0.3; exit 6").out().strip();
            var waited = f.run("wait", id);
            assertThat(waited.out().strip()).as(driver + ": " + waited.all()).isEqualTo("6");
            assertThat(f.run("rm", id).code()).isZero();
        }
    }
}
