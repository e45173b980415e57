package io.andock.driver.oci;

import io.andock.json.Json;
import io.andock.container.ContainerSpec;
import io.andock.container.OciMount;
import io.andock.container.OciSpecs;
import io.andock.container.ProcessSpec;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Bundles for the oci driver tests: the testkit's busybox unpacked by the real umoci (once, read-only for the
 * containers), a spec from the engine's {@link OciSpecs#generate} adapted by {@link OciDriver#adaptSpec}.
 */
final class Bundles {
    static final Path IMAGES = Path.of("/var/tmp/andock-oci-test-images");

    private Bundles() {}

    /** busybox:{@code tag}'s rootfs, unpacked by umoci on first use. */
    static synchronized Path rootfs(String tag) {
        Path out = IMAGES.resolve(tag);
        if (!Files.isDirectory(out.resolve("rootfs"))) {
            Path tmp = IMAGES.resolve(tag + ".tmp" + ProcessHandle.current().pid());
            Cmd.exec("rm", "-rf", tmp.toString());
            Cmd.exec("mkdir", "-p", IMAGES.toString()).check();
            Cmd.exec("umoci", "unpack", "--image", Fixtures.layout("busybox") + ":" + tag, tmp.toString()).check();
            Cmd.exec("chmod", "755", tmp.toString(), IMAGES.toString()).check();
            if (!Cmd.exec("mv", "-T", tmp.toString(), out.toString()).ok()) Cmd.exec("rm", "-rf", tmp.toString());
        }
        return out.resolve("rootfs");
    }

    /** Writes {@code dir/config.json} for {@code args} in busybox:{@code tag} with {@code flags}' security, resources and network. */
    static Path write(Path dir, OciDriver driver, String tag, List<String> args, boolean terminal,
                      ContainerSpec.Builder flags) {
        ContainerSpec request = flags.build();
        ProcessSpec p = new ProcessSpec(args, List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"), "/", 0, 0,
                List.of(), terminal);
        String net = request.networkMode() == null ? "none" : request.networkMode();
        OciSpecs.Input in = new OciSpecs.Input(p, rootfs(tag), true, "box",
                List.of(new OciMount("/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777"))),
                Map.of(), net, Map.of(OciDriver.CONTAINER_ID_ANNOTATION, dir.getFileName().toString()));
        Map<String, Object> spec = driver.adaptSpec(OciSpecs.generate(in), request);
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("config.json"), Json.writeBytes(spec));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ContainerSpec.Builder flags() {
        return ContainerSpec.builder("busybox");
    }

    /** A started runtime command with its output collected in files. */
    record Running(Process process, Path out, Path err) {
        String stdout() { return read(out); }
        String stderr() { return read(err); }

        int await() {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("timed out; stderr: " + stderr());
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        void awaitOutput(String text) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!stdout().contains(text)) {
                if (System.nanoTime() > deadline || !process.isAlive() && !stdout().contains(text)) {
                    throw new AssertionError("no \"" + text + "\" in " + stdout() + " / " + stderr());
                }
                sleep(20);
            }
        }
    }

    static Running start(List<String> argv, Path dir) {
        try {
            Path out = dir.resolve("stdout-" + System.nanoTime()), err = dir.resolve("stderr-" + System.nanoTime());
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Running(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> argv(String... a) {
        return new ArrayList<>(List.of(a));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
