package io.andock.net;

import io.andock.AndockException;
import io.andock.os.HostTools;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a container's {@link PortProxyMain} as its own small JVM in its own session (so it outlives the CLI of a
 * detached container), and waits for it to have bound every port. The JVM is kept small: 8 MiB heap, serial GC,
 * C1 only, class data sharing; see {@link #JVM_FLAGS}.
 */
final class ProxyProcess {
    static final List<String> JVM_FLAGS = List.of("-Xmx8m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=8m", "-XX:MaxMetaspaceSize=24m", "-XX:-UsePerfData",
            "-Xshare:auto");

    private ProxyProcess() {}

    /** The proxy's argv: this JVM's java and class path. */
    static List<String> argv(Path watchDir, List<PortRule> rules) {
        List<String> cmd = new ArrayList<>();
        String setsid = HostTools.find("setsid");
        if (setsid != null) cmd.add(setsid);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PortProxyMain.class.getName()));
        if (watchDir != null) cmd.addAll(List.of("--watch", watchDir.toString()));
        for (PortRule r : rules) cmd.add(r.arg());
        return cmd;
    }

    /** Starts the proxy, its stderr appended to {@code log}; returns its pid once it listens. */
    static long start(Path watchDir, List<PortRule> rules, Path log) {
        Process p;
        try {
            p = new ProcessBuilder(argv(watchDir, rules))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw AndockException.wrap("start port proxy", e);
        }
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String l = r.readLine();
                return l == null ? "error: port proxy exited with no word (see " + log + ")" : l;
            } catch (IOException e) {
                return "error: " + e.getMessage();
            }
        });
        String got;
        try {
            got = line.get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "port proxy: interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "port proxy did not start in 20 s (see " + log + ")");
        }
        if (got.equals("ready")) return p.pid();
        p.destroyForcibly();
        String msg = got.startsWith("error: ") ? got.substring(7) : got;
        throw new AndockException(msg.contains("already allocated") ? AndockException.Kind.CONFLICT : AndockException.Kind.UNAVAILABLE, msg);
    }
}
