package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container's exit code is its first process's, whatever it leaves behind: as with Docker, the processes it
 * leaves are ended with it (proot 5.1 alone would report whichever process ended last, and wait for it).
 */
@Tag("registry")
class CliExitCodeTest {
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
    }

    private String image() {
        return registry.host() + "/busybox:latest";
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void run_rm_leavingBackgroundProcesses_exitsWithTheFirstProcessCode(String driver) {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", image());
        String[][] cases = {
                {"sleep 1 & exit 2", "2"},
                {"sleep LEFT & sleep 0.3; exit 0", "0"},
                {"sleep LEFT & sleep 0.3; exit 5", "5"},
                {"(sleep 0.5; exit 9) & exit 4", "4"},
                {"sleep LEFT & exec sleep 0.2", "0"},
        };
        // chroot waits for what the container leaves (below); elsewhere a long leftover tells waiting from not
        String left = driver.equals("chroot") ? "8" : "60";
        for (String[] c : cases) {
            long start = System.nanoTime();
            Cmd.Result r = andock.run("--driver", driver, "run", "--rm", image(), "sh", "-c", c[0].replace("LEFT", left));
            assertThat(r.exitCode()).as(driver + " [" + c[0] + "]: " + r.stderr()).isEqualTo(Integer.parseInt(c[1]));
            // chroot shares the host's pids: what the container leaves keeps its output open until it ends (a gap)
            if (driver.equals("chroot")) continue;
            // a run that waited for its leftovers takes 60 s; one that did not, a second or two (far less than 30
            // even on a machine loaded to a load average of 20)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(driver + " [" + c[0] + "] waited for its leftovers")
                    .isLessThan(Duration.ofSeconds(30));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void detached_leavingBackgroundProcesses_waitAndInspectGiveTheFirstProcessCode(String driver) {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", image());
        String id = andock.ok("--driver", driver, "run", "-d", image(), "sh", "-c", "sleep 30 & sleep 0.3; exit 6").strip();
        assertThat(andock.ok("wait", id).strip()).isEqualTo("6");
        assertThat(andock.ok("inspect", "--format", "{{.State.ExitCode}}", id).strip()).isEqualTo("6");
        andock.ok("rm", id);
    }
}
