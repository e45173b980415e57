package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code andock network} and {@code run --network NAME} without a daemon: containers find each other by name on
 * their own bridge (oci), or on loopback where the driver shares the host's network (proot).
 */
@Tag("registry")
class CliNetworksTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot"})
    void network_create_run_byName_connect_rm(String driver) {
        Fixtures.assumeAvailable();
        if (driver.equals("oci")) {
            assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                    "bridge networks need root and the CNI plugins");
        }
        TestRegistry registry = TestRegistry.shared();
        String busybox = registry.host() + "/busybox:latest";
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", busybox);
        String id = andock.ok("network", "create", "--label", "k=v", "clinet").strip();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(andock.ok("network", "ls")).contains("clinet").contains("bridge");
        assertThat(andock.ok("network", "inspect", "clinet")).contains("\"k\": \"v\"").contains("\"Subnet\"");

        andock.ok("--driver", driver, "run", "-d", "--name", "peer", "--network", "clinet", busybox, "sleep", "600");
        Cmd.Result hosts = andock.run("--driver", driver, "run", "--rm", "--network", "clinet", busybox, "cat", "/etc/hosts");
        assertThat(hosts.exitCode()).as(hosts.stderr()).isZero();
        assertThat(hosts.stdout()).containsPattern(driver.equals("oci") ? "10\\.\\d+\\.\\d+\\.\\d+\\s+peer " : "127\\.0\\.0\\.1\\s+peer ");
        Cmd.Result ping = andock.run("--driver", driver, "run", "--rm", "--network", "clinet", busybox, "ping", "-c", "1", "-W", "5", "peer");
        assertThat(ping.exitCode()).as(ping.stdout() + ping.stderr()).isZero();

        Cmd.Result inUse = andock.run("network", "rm", "clinet");
        assertThat(inUse.exitCode()).isNotZero();
        assertThat(inUse.stderr()).contains("has active endpoints");
        andock.ok("rm", "-f", "peer");
        assertThat(andock.ok("network", "rm", "clinet").strip()).isEqualTo("clinet");
        Cmd.Result gone = andock.run("run", "--rm", "--network", "clinet", busybox, "true");
        assertThat(gone.exitCode()).isEqualTo(125);
        assertThat(gone.stderr()).contains("network clinet not found");
    }
}
