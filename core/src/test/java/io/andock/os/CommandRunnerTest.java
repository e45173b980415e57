package io.andock.os;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one runner for short helper commands: every way a command can end is a result, never an exception. */
@Tag("unit")
class CommandRunnerTest {
    private final CommandRunner runner = CommandRunner.system();

    @Test
    void run_success_collectsStdout() {
        CommandRunner.Result r = runner.run(List.of("sh", "-c", "echo hello"), Duration.ofSeconds(10));
        assertThat(r.ok()).isTrue();
        assertThat(r.stdout()).isEqualTo("hello\n");
    }

    @Test
    void run_failure_describesTheLastStderrLineAndTheExitCode() {
        CommandRunner.Result r = runner.run(List.of("sh", "-c", "echo first >&2; echo 'mkfifo: denied' >&2; exit 3"),
                Duration.ofSeconds(10));
        assertThat(r.ok()).isFalse();
        assertThat(r.describe()).isEqualTo("mkfifo: denied; exit 3");
    }

    @Test
    void run_missingProgram_isAResultNamingIt() {
        CommandRunner.Result r = runner.run(List.of("/nonexistent/andock-no-such-tool"), Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(r.describe()).startsWith("cannot run /nonexistent/andock-no-such-tool");
    }

    @Test
    void run_hungCommand_isKilledAtTheTimeout() {
        long start = System.nanoTime();
        CommandRunner.Result r = runner.run(List.of("sleep", "30"), Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(r.describe()).contains("timed out");
    }

    @Test
    void run_killedBySignal_saysWhichSignal() {
        CommandRunner.Result r = runner.run(List.of("sh", "-c", "kill -TERM $$"), Duration.ofSeconds(10));
        assertThat(r.signal()).isEqualTo(15);
        assertThat(r.describe()).isEqualTo("killed by signal 15");
    }
}
