package io.andock.cli;

import io.andock.testkit.Cmd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the andock CLI as a real process (its own JVM, exit code, stdio), on a given root, as a user would. */
final class Andock {
    private final Path root;
    private final Map<String, String> env;

    Andock(Path root) {
        this(root, Map.of());
    }

    Andock(Path root, Map<String, String> env) {
        this.root = root;
        this.env = env;
    }

    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        return cmd;
    }

    Cmd.Result run(String... args) {
        return runUnder(List.of(), args);
    }

    /** Runs under {@code prefix}, a command that execs the rest (e.g. a shell that first ignores some signals). */
    Cmd.Result runUnder(List<String> prefix, String... args) {
        return runWithin(java.time.Duration.ofMinutes(10), prefix, args);
    }

    /** Runs, killing the process and failing if it has not ended within {@code bound}. */
    Cmd.Result runWithin(java.time.Duration bound, List<String> prefix, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(javaCommand());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        Map<String, String> e = new java.util.HashMap<>(env);
        e.putIfAbsent("HOME", root.resolve("home").toString());
        e.putIfAbsent("XDG_CONFIG_HOME", root.resolve("config").toString());
        return Cmd.exec(cmd, e, bound);
    }

    /** Runs and requires exit code 0; returns stdout. */
    String ok(String... args) {
        Cmd.Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("andock " + String.join(" ", args) + " exited " + r.exitCode() + "\nstderr: " + r.stderr()
                    + "\nstdout: " + r.stdout());
        }
        return r.stdout();
    }

    Path root() {
        return root;
    }
}
