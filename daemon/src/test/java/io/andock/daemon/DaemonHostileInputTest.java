package io.andock.daemon;

import io.andock.registry.RegistryOptions;
import io.andock.testkit.CuttingProxy;
import io.andock.testkit.Fixtures;
import io.andock.testkit.HostileTars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input through the daemon answers with an error within seconds, never a request thread spinning or
 * waiting for good: tars whose headers lie ({@link HostileTars}) to {@code POST /images/load} and {@code POST /build},
 * and a registry that stalls mid-blob under {@code docker pull}.
 */
@Tag("registry")
class DaemonHostileInputTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    static DaemonFixture f;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.assumeAvailable();
        f = new DaemonFixture(RegistryOptions.defaults().withRetries(2, Duration.ofMillis(10))
                .withReadTimeout(Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    static Stream<String> variants() {
        return HostileTars.all().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void dockerLoad_hostileHeader_failsWithinSeconds(String variant) throws Exception {
        long start = System.nanoTime();
        var r = DaemonFixture.collect(f.docker("load"), HostileTars.all().get(variant), 60);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
        assertThat(r.code()).as(r.all()).isNotZero();
        assertThat(r.err()).contains("tar entry");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"negative-octal-size", "base256-size-overflow", "pax-length-lies", "zero-block-then-garbage"})
    void postImagesLoad_streamsTheError_and_postBuild_answers400_withinSeconds(String variant) throws Exception {
        Path body = Files.write(f.dir.resolve(variant + ".tar"), HostileTars.all().get(variant));
        for (String endpoint : new String[] {"/images/load", "/build?t=hostile:1", "/images/create?fromSrc=-&repo=hostile&tag=1"}) {
            long start = System.nanoTime();
            var r = DaemonFixture.collect(new ProcessBuilder("curl", "-s", "--max-time", "60", "--unix-socket",
                    f.socket.toString(), "-H", "Content-Type: application/x-tar", "--data-binary", "@" + body,
                    "-w", "\n%{http_code}", "http://localhost" + endpoint), null, 90);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(endpoint).isLessThan(BOUND);
            String status = r.out().substring(r.out().lastIndexOf('\n') + 1);
            // dockerd answers a failed load with a 200 and the error in the stream; clients read it there
            boolean load = endpoint.equals("/images/load");
            assertThat(status).as(endpoint + ": " + r.all()).isEqualTo(load ? "200" : "400");
            assertThat(r.out()).contains("tar entry");
            if (load) assertThat(r.out()).contains("\"errorDetail\"");
        }
    }

    /** A rootfs tarball (import) or build context that tries to write outside: refused or kept inside, never a 500. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("escaping")
    void importAndBuildContext_escapingEntries_writeNothingOutside(String variant) throws Exception {
        String marker = "andock-escape-" + variant + "-" + System.nanoTime();
        Path body = Files.write(f.dir.resolve(variant + "-escape.tar"), io.andock.testkit.EscapingTars.make(variant, marker));
        for (String endpoint : new String[] {"/images/create?fromSrc=-&repo=escape&tag=1", "/build?t=escape:1"}) {
            var r = DaemonFixture.collect(new ProcessBuilder("curl", "-s", "--max-time", "60", "--unix-socket",
                    f.socket.toString(), "-H", "Content-Type: application/x-tar", "--data-binary", "@" + body,
                    "-w", "\n%{http_code}", "http://localhost" + endpoint), null, 90);
            String status = r.out().substring(r.out().lastIndexOf('\n') + 1);
            assertThat(status).as(endpoint + ": " + r.all()).isIn("200", "400", "404"); // 404: a context kept inside has no Dockerfile
            assertThat(Path.of("/tmp", marker)).as(endpoint).doesNotExist();
        }
        assertThat(Files.exists(Path.of("/etc/shadow"))).isTrue();
    }

    static Stream<String> escaping() {
        return io.andock.testkit.EscapingTars.VARIANTS.stream();
    }

    @Test
    void dockerPull_registryStallingEveryBlob_endsInError() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(f.registry.host())) {
            proxy.stallNextBlobs(0, 1000);
            long start = System.nanoTime();
            var r = DaemonFixture.collect(f.docker("pull", proxy.host() + "/busybox:latest"), null, 120);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
            assertThat(r.code()).as(r.all()).isNotZero();
            assertThat(r.all()).contains("sent no data for 1 s");
            assertThat(proxy.stalls()).isGreaterThanOrEqualTo(1);
        }
    }
}
