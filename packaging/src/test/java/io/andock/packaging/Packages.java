package io.andock.packaging;

import io.andock.testkit.Cmd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The packages {@code packaging/build} makes from {@code cli/target/andock.jar}, built once per version per JVM
 * into a temporary directory removed at exit.
 */
final class Packages {
    static final String TERMUX_PREFIX = "data/data/com.termux/files/usr";

    private static final Map<String, Packages> BUILT = new java.util.HashMap<>();

    final String version;
    final Path debian, termux, tarball;

    private Packages(String version, Path out) {
        this.version = version;
        this.debian = out.resolve("debian/andock_" + version + "_all.deb");
        this.termux = out.resolve("termux/andock_" + version + "_all.deb");
        this.tarball = out.resolve("andock-" + version + ".tar.gz");
    }

    /** The checkout being tested. */
    static Path repo() {
        return Path.of(System.getProperty("andock.repo", "..")).toAbsolutePath().normalize();
    }

    /** The CLI's shaded jar; fails, saying how to make it, when the reactor has not packaged cli yet. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("andock.jar", "../cli/target/andock.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": run these tests with `mvn -pl packaging -am verify` "
                    + "(cli's package phase makes the jar)");
        }
        return jar;
    }

    /** The three packages of {@code version}, built by {@code packaging/build} once per JVM. */
    static synchronized Packages of(String version) {
        return BUILT.computeIfAbsent(version, v -> {
            try {
                Path out = Files.createTempDirectory("andock-packages");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Cmd.exec("rm", "-rf", out.toString())));
                return build(v, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Runs {@code packaging/build} for {@code version} into {@code out}. */
    static Packages build(String version, Path out) {
        Cmd.exec(List.of(repo().resolve("packaging/build").toString(), "--version", version, "--jar", jar().toString(),
                "--out", out.toString())).check();
        return new Packages(version, out);
    }
}
