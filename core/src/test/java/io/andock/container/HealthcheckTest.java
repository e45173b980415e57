package io.andock.container;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Docker's health check config (merge, checks, JSON) and the status read back from the check loop's files. */
@Tag("unit")
class HealthcheckTest {

    @Test
    void theContainersFields_overTheImages_fieldByField() {
        Healthcheck image = new Healthcheck(List.of("CMD", "true"), 5_000_000_000L, 0, 0, 0, 7);
        Healthcheck own = new Healthcheck(List.of(), 1_000_000_000L, 0, 0, 0, 0);
        Healthcheck h = own.over(image);
        assertThat(h.test()).containsExactly("CMD", "true");
        assertThat(h.interval()).isEqualTo(1_000_000_000L);
        assertThat(h.timeout()).isEqualTo(Healthcheck.DEFAULT_TIMEOUT);
        assertThat(h.effectiveRetries()).isEqualTo(7);
        assertThat(new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0).over(image).disabled()).isTrue();
    }

    @Test
    void command_ofCmdAndCmdShell() {
        assertThat(new Healthcheck(List.of("CMD", "curl", "-f", "x"), 0, 0, 0, 0, 0).command()).containsExactly("curl", "-f", "x");
        assertThat(new Healthcheck(List.of("CMD-SHELL", "curl -f x || exit 1"), 0, 0, 0, 0, 0).command())
                .containsExactly("/bin/sh", "-c", "curl -f x || exit 1");
        assertThat(new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0).command()).isEmpty();
    }

    @Test
    void badConfigs_areRefusedInOneLine() {
        for (Runnable r : List.<Runnable>of(
                () -> new Healthcheck(List.of("SHELL", "x"), 0, 0, 0, 0, 0),
                () -> new Healthcheck(List.of("CMD"), 0, 0, 0, 0, 0),
                () -> new Healthcheck(List.of("CMD", "x"), 10, 0, 0, 0, 0),
                () -> new Healthcheck(List.of("CMD", "x"), -1, 0, 0, 0, 0),
                () -> new Healthcheck(List.of("CMD", "x"), 0, 0, 0, 0, -1))) {
            assertThatThrownBy(r::run).isInstanceOfSatisfying(AndockException.class,
                    e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT));
        }
    }

    @Test
    void json_roundTrip_asDocker_zeroesLeftOut() {
        Healthcheck h = new Healthcheck(List.of("CMD-SHELL", "true"), 2_000_000_000L, 0, 0, 0, 4);
        Map<String, Object> m = h.toJson();
        assertThat(m).containsOnlyKeys("Test", "Interval", "Retries");
        assertThat(Healthcheck.fromJson(JsonObject.of(io.andock.json.Json.parse(io.andock.json.Json.write(m))))).isEqualTo(h);
    }

    @Test
    void status_readFromTheLoopsFiles_newestFive_boundedAndTolerant(@TempDir Path tmp) throws Exception {
        ContainerDir dir = new ContainerDir(tmp);
        assertThat(HealthStatus.read(dir)).isNull();
        Path h = Files.createDirectories(dir.health());
        Files.writeString(h.resolve("state"), "unhealthy 3\n");
        for (int n = 1; n <= 7; n++) Files.writeString(h.resolve("r." + n), "178000000" + n + "00 178000000" + n + "50 1\nout" + n);
        Files.writeString(h.resolve("r.8"), "garbage"); // half-written or foreign: skipped
        Files.write(h.resolve("r.9"), new byte[20_000]); // over the bound: skipped
        HealthStatus s = HealthStatus.read(dir);
        assertThat(s.status()).isEqualTo("unhealthy");
        assertThat(s.failingStreak()).isEqualTo(3);
        assertThat(s.log()).extracting(HealthStatus.Result::output).containsExactly("out5", "out6", "out7");
        assertThat(s.log().get(0).end()).isEqualTo(java.time.Instant.ofEpochSecond(1780000005L, 500_000_000L));
        assertThat(s.psText()).isEqualTo("(unhealthy)");
        Files.writeString(h.resolve("state"), "");
        assertThat(HealthStatus.read(dir).status()).isEqualTo("starting");
    }
}
