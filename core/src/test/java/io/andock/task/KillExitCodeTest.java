package io.andock.task;

import io.andock.container.ContainerSpec;
import io.andock.container.TestImages;
import io.andock.driver.Driver;
import io.andock.driver.Drivers;
import io.andock.driver.ProotDriver;
import io.andock.os.HostTools;
import io.andock.driver.oci.OciDriver;
import io.andock.driver.oci.OciRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Docker's exit codes after {@code kill}: 128+n for a process killed by signal n, with every driver (oci through
 * runc as root, proot always), detached under the monitor, waited for with {@code waitFor}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillExitCodeTest {
    ContainerService svc;
    boolean oci;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        assumeTrue(HostTools.find("proot") != null, "proot is not installed");
        Path root = tmp.resolve("andock");
        oci = HostTools.isRoot() && HostTools.find("runc") != null;
        Driver[] ds = oci
                ? new Driver[]{new ProotDriver(), new OciDriver(new OciRuntime("runc", Path.of(HostTools.find("runc")),
                        Files.createDirectories(tmp.resolve("runc")), false), true, null)}
                : new Driver[]{new ProotDriver()};
        svc = new ContainerService(root, TestImages.shared(), new Drivers("proot", ds));
    }

    @Timeout(120)
    @ParameterizedTest(name = "{0} kill -s {1} -> {2}")
    @CsvSource({"oci, KILL, 137", "proot, KILL, 137", "proot, TERM, 143"})
    void kill_exitCodeIs128PlusTheSignal(String driver, String signal, int expected) {
        assumeTrue(!driver.equals("oci") || oci, "oci needs root and runc");
        for (int round = 0; round < 10; round++) { // right after start the code was wrong now and then
            String id = svc.runDetached(sleeper(driver));
            try {
                svc.kill(id, signal);
                assertThat(svc.waitFor(id)).as("round " + round).isEqualTo(expected);
                assertThat(svc.get(id).state().exitCode()).isEqualTo(expected);
            } finally {
                svc.remove(id, true, true);
            }
        }
    }

    /** As in Docker: the oci container's process is pid 1 of its namespace, which a signal without handler spares. */
    @Timeout(60)
    @org.junit.jupiter.api.Test
    void oci_termToATraplessPid1_isIgnored_thenStopKills137() throws Exception {
        assumeTrue(oci, "oci needs root and runc");
        String id = svc.runDetached(sleeper("oci"));
        try {
            svc.kill(id, "TERM");
            Thread.sleep(500);
            assertThat(svc.get(id).state().running()).isTrue();
            svc.stop(id, 0);
            assertThat(svc.waitFor(id)).isEqualTo(137);
        } finally {
            svc.remove(id, true, true);
        }
    }

    @Timeout(60)
    @org.junit.jupiter.api.Test
    void stopWithASignal_usesIt_beforeTheTimeout() {
        String id = svc.runDetached(sleeper("proot"));
        try {
            long t0 = System.nanoTime();
            svc.stop(id, 30, "INT");
            assertThat(System.nanoTime() - t0).isLessThan(20_000_000_000L);
            assertThat(svc.waitFor(id)).isEqualTo(130); // 128+SIGINT, not the SIGKILL after the timeout
        } finally {
            svc.remove(id, true, true);
        }
    }

    private static ContainerSpec sleeper(String driver) {
        ContainerSpec.Builder b = ContainerSpec.builder("busybox").driver(driver).cmd("sleep", "1000");
        if (driver.equals("oci")) b.networkMode("host");
        return b.build();
    }
}
