package io.andock.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs external tools (skopeo, curl, python3...) from tests. */
public final class Cmd {
    private Cmd() {}

    /** Outcome of a finished process; stdout and stderr decoded as UTF-8. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() { return exitCode == 0; }

        /** Returns this if the exit code was 0, else throws with the command's stderr. */
        public Result check() {
            if (exitCode != 0) {
                throw new IllegalStateException("command failed (exit " + exitCode + "): " + String.join(" ", command)
                        + "\n" + stderr + (stdout.isBlank() ? "" : "\nstdout: " + stdout));
            }
            return this;
        }
    }

    /** Runs the command (no stdin), waits up to 10 minutes, never throws on a non-zero exit. */
    public static Result exec(List<String> command) { return exec(command, Map.of()); }

    public static Result exec(List<String> command, Map<String, String> env) {
        return exec(command, env, java.time.Duration.ofMinutes(10));
    }

    /** Runs the command, killing it and throwing if it has not ended within {@code bound}. */
    public static Result exec(List<String> command, Map<String, String> env, java.time.Duration bound) {
        Path out = null, err = null;
        try {
            out = Files.createTempFile("andock-cmd", ".out");
            err = Files.createTempFile("andock-cmd", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Result(List.copyOf(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            try {
                if (out != null) Files.deleteIfExists(out);
                if (err != null) Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // temp files
            }
        }
    }

    public static Result exec(String... command) { return exec(List.of(command)); }

    /** Runs the command and returns its stdout; throws if it exits non-zero. */
    public static String run(String... command) { return exec(List.of(command)).check().stdout(); }

    public static String run(List<String> command) { return exec(command).check().stdout(); }
}
