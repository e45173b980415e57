package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.CuttingProxy;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code andock pull} from a registry that stops sending mid-answer, with {@code "read-timeout-seconds": 1} in
 * config.json: a one-line error naming the registry and the blob or manifest, in bounded time.
 */
@Tag("registry")
class CliRegistryStallTest {
    private static final Duration BOUND = Duration.ofSeconds(75);
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
    }

    private Andock andock() throws IOException {
        Path root = tmp.resolve("root");
        Path config = Files.createDirectories(root.resolve("config").resolve("andock"));
        Files.writeString(config.resolve("config.json"), "{\"read-timeout-seconds\": 1}");
        return new Andock(root);
    }

    @Test
    void pull_blobStalledOnEveryAttempt_failsNamingRegistryAndBlob() throws IOException {
        try (CuttingProxy proxy = new CuttingProxy(registry.host())) {
            proxy.stallNextBlobs(1000, 1000);
            Cmd.Result r = stalledPull(proxy);
            assertThat(r.stderr()).contains("fetch blob sha256:").contains(proxy.host() + " sent no data for 1 s");
        }
    }

    @Test
    void pull_manifestStalledOnEveryAttempt_failsNamingRegistryAndManifest() throws IOException {
        try (CuttingProxy proxy = new CuttingProxy(registry.host())) {
            proxy.stallNextManifests(10, 1000);
            Cmd.Result r = stalledPull(proxy);
            assertThat(r.stderr()).contains("fetch manifest busybox:latest: " + proxy.host() + " sent no data for 1 s");
        }
    }

    private Cmd.Result stalledPull(CuttingProxy proxy) throws IOException {
        long start = System.nanoTime();
        Cmd.Result r = andock().runWithin(Duration.ofMinutes(3), List.of(), "pull", proxy.host() + "/busybox:latest");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(125);
        assertThat(r.stderr().strip()).startsWith("Error: ").doesNotContain("\n");
        return r;
    }
}
