package io.andock.daemon;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent {@code docker run --rm} through the daemon under each driver: every run's stdout, stderr and exit
 * code reach its client, though the container's monitor removes it the moment it exits (oci under load:
 * {@link DockerCliContainersTest#fiftyConcurrentRuns}).
 */
class ConcurrentRunsTest {
    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void concurrentRuns_everyOutputAndExitCodeArrives(String driver) throws Exception {
        int runs = 24;
        try (DaemonFixture f = DaemonFixture.withDriver(driver)) {
            String bb = f.image("busybox");
            assertThat(f.run("pull", "-q", bb).code()).isZero();
            ExecutorService pool = Executors.newFixedThreadPool(runs);
            try {
                List<Future<DaemonFixture.Result>> all = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    String script = "echo out-" + i + "; echo err-" + i + " >&2; exit $((" + i + " % 7))";
                    all.add(pool.submit(() -> f.run("run", "--rm", bb, "sh", "-c", script)));
                }
                for (int i = 0; i < runs; i++) {
                    var r = all.get(i).get(300, TimeUnit.SECONDS);
                    assertThat(r.out()).as(driver + " run " + i + ": " + r.all()).isEqualTo("out-" + i + "\n");
                    assertThat(r.err()).as(driver + " run " + i).isEqualTo("err-" + i + "\n");
                    assertThat(r.code()).as(driver + " run " + i + ": " + r.all()).isEqualTo(i % 7);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(f.run("ps", "-aq").out()).isBlank();
        }
    }
}
