package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the fleet tests drive, all real processes: an {@code andock hub serve} on a fixed loopback port (so it can be
 * killed and started again), versions of an app image made by umoci from the fixtures' busybox (never by andock) and
 * pushed by skopeo, and device agents ({@code andock follow --agent}) on their own roots.
 */
final class FleetRig implements AutoCloseable {
    final Path dir;
    final Path hubRoot;
    final int port;
    private final Path layout;
    private Process hub;
    private final List<Process> agents = new ArrayList<>();

    FleetRig(Path dir) throws IOException {
        this.dir = dir;
        this.hubRoot = dir.resolve("hub");
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        this.layout = dir.resolve("app-oci");
        buildVersions();
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    /**
     * The app's versions in an OCI layout: {@code v1} busybox waiting (ending at SIGTERM), {@code v2} the same with
     * {@code /etc/app-version} changed (one file), {@code bad} v2 whose command exits 1.
     */
    private void buildVersions() {
        Cmd.run("skopeo", "copy", "oci:" + Fixtures.layout("busybox") + ":latest", "oci:" + layout + ":base");
        Cmd.run("umoci", "config", "--image", layout + ":base", "--tag", "v0", "--config.cmd", "sh", "--config.cmd", "-c",
                "--config.cmd", "trap 'exit 0' TERM; while :; do sleep 1; done"); // stops at once: swaps take no stop timeout
        Path b = dir.resolve("bundle");
        for (String v : List.of("1", "2")) {
            Cmd.run("umoci", "unpack", "--image", layout + ":v0", b.toString());
            try {
                Files.writeString(b.resolve("rootfs/etc/app-version"), v + "\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Cmd.run("umoci", "repack", "--image", layout + ":v" + v, b.toString());
            Cmd.run("rm", "-rf", b.toString());
        }
        Cmd.run("umoci", "config", "--image", layout + ":v2", "--tag", "bad", "--config.cmd", "sh", "--config.cmd", "-c", "--config.cmd", "exit 1");
    }

    /** Pushes version {@code v} (v1, v2, bad) as {@code repo:tag} on the hub. */
    void push(String v, String repoTag) {
        Cmd.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":" + v, "docker://" + host() + "/" + repoTag);
    }

    String digestOf(String v) {
        return Cmd.run("skopeo", "inspect", "--format", "{{.Digest}}", "oci:" + layout + ":" + v).strip();
    }

    void startHub() throws IOException {
        List<String> cmd = new ArrayList<>(Andock.javaCommand());
        cmd.addAll(List.of("--root", hubRoot.toString(), "hub", "serve", "--addr", host()));
        hub = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("andock hub listening on ")) break;
        }
        drain(r, dir.resolve("hub.log"));
        if (!hub.isAlive()) throw new IllegalStateException("the hub did not start: " + readQuietly(dir.resolve("hub.log")));
    }

    void killHub() throws InterruptedException {
        hub.destroyForcibly();
        hub.waitFor();
    }

    /** {@code andock follow --agent} on {@code root}, its stderr in {@code root/agent.log}. */
    Process startAgent(Path root) throws IOException {
        return start(root, "follow", "--agent");
    }

    /** {@code andock daemon} on {@code root} (its agent follows the root's tags), its stderr in {@code root/agent.log}. */
    Process startDaemon(Path root) throws IOException {
        return start(root, "daemon", "-H", "unix://" + root.resolve("d.sock"));
    }

    private Process start(Path root, String... args) throws IOException {
        Files.createDirectories(root);
        List<String> cmd = new ArrayList<>(Andock.javaCommand());
        cmd.addAll(List.of("--root", root.toString(), "--log-level", "info"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("agent.log").toFile()));
        pb.environment().put("HOME", root.resolve("home").toString());
        pb.environment().put("XDG_CONFIG_HOME", root.resolve("config").toString());
        Process p = pb.start();
        agents.add(p);
        return p;
    }

    static String log(Path root) {
        return readQuietly(root.resolve("agent.log"));
    }

    static void await(String what, Duration bound, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    private static void drain(BufferedReader r, Path log) {
        Thread t = new Thread(() -> {
            try (var w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                for (String line; (line = r.readLine()) != null; ) {
                    w.write(line);
                    w.newLine();
                    w.flush();
                }
            } catch (IOException ignored) {
                // the hub ended
            }
        }, "hub-log");
        t.setDaemon(true);
        t.start();
    }

    static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws Exception {
        for (Process a : agents) {
            a.destroy();
            if (!a.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) a.destroyForcibly().waitFor();
        }
        if (hub != null) killHub();
    }
}
