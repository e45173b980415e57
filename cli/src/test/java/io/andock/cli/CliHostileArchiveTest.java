package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.HostileTars;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code andock load} and {@code andock import} of a tar whose header lies ({@link HostileTars}): a one-line error
 * and exit code 125 within seconds, never a hang, and no image left behind.
 */
@Tag("unit")
class CliHostileArchiveTest {
    /** The process is killed (and the test fails) past this; a JVM start on a loaded machine is well within it. */
    private static final Duration KILL = Duration.ofSeconds(90);
    private static final Duration BOUND = Duration.ofSeconds(45);

    @TempDir
    Path tmp;

    static Stream<String> variants() {
        return HostileTars.all().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void load_file_refusesHostileHeader(String variant) throws IOException {
        Path tar = write(variant);
        refused(new Andock(tmp.resolve("root")), List.of(), "load", "-i", tar.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void import_refusesHostileHeader(String variant) throws IOException {
        Path tar = write(variant);
        Andock andock = new Andock(tmp.resolve("root"));
        refused(andock, List.of(), "import", tar.toString(), "hostile:1");
        assertThat(andock.ok("images", "-q")).isBlank();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"negative-octal-size", "base256-size-overflow", "pax-size-beyond-end", "gnu-longname-huge"})
    void load_stdin_refusesHostileHeader(String variant) throws IOException {
        Path tar = write(variant);
        Andock andock = new Andock(tmp.resolve("root"));
        refused(andock, List.of("sh", "-c", "exec \"$@\" < " + tar, "sh"), "load");
        assertThat(andock.ok("images", "-q")).isBlank();
    }

    private Path write(String variant) throws IOException {
        return Files.write(tmp.resolve(variant + ".tar"), HostileTars.all().get(variant));
    }

    private static void refused(Andock andock, List<String> prefix, String... args) {
        long start = System.nanoTime();
        Cmd.Result r = andock.runWithin(KILL, prefix, args);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("andock %s took %s", String.join(" ", args), took).isLessThan(BOUND);
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(125);
        assertThat(r.stderr().strip()).startsWith("Error: ").contains("tar entry").doesNotContain("\n");
    }
}
