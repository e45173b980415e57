package io.andock.os;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class HostToolsTest {
    @Test
    void envsOptionIsKnownFromItsFile_asARunOfItTells() {
        String env = HostTools.require("env", "test");
        boolean runs = CommandRunner.failure(List.of(env, "--default-signal", "-i", "true"), Duration.ofSeconds(10)) == null;
        assertThat(HostTools.namesOption(Path.of(env), "default-signal")).isEqualTo(runs);
        assertThat(HostTools.envCleared("test")).isEqualTo(runs ? List.of(env, "--default-signal", "-i") : List.of(env, "-i"));
    }

    @Test
    void namesOption_findsTheNameAnywhere_andIsNullForAnUnreadableFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("prog");
        Files.write(f, new byte[]{0, 'd', 'e', 'f', 0, 'd', 'e', 'f', 'a', 'u', 'l', 't', '-', 's', 'i', 'g', 'n', 'a', 'l', 0});
        assertThat(HostTools.namesOption(f, "default-signal")).isTrue();
        Files.write(f, "default-signa".getBytes());
        assertThat(HostTools.namesOption(f, "default-signal")).isFalse();
        assertThat(HostTools.namesOption(dir.resolve("missing"), "default-signal")).isNull();
    }
}
