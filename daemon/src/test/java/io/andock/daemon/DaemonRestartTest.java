package io.andock.daemon;

import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon as its own process: kill -9 it with containers running, start it again, they are still there. */
class DaemonRestartTest {

    private static Process daemon(Path root, Path socket) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DaemonMain.class.getName(),
                "--root", root.toString(), "-H", "unix://" + socket));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("andock daemon listening")) {
            // startup log
        }
        assertThat(line).as("daemon start").isNotNull();
        DaemonFixture.pump(p.getInputStream(), java.io.OutputStream.nullOutputStream());
        return p;
    }

    private static DaemonFixture.Result docker(Path socket, Path config, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DaemonFixture.DOCKER));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("DOCKER_HOST", "unix://" + socket);
        env.put("DOCKER_CONFIG", config.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new DaemonFixture.Result(p.exitValue(), out, err);
    }

    @Test
    void killDashNine_restart_containersAreAdopted() throws Exception {
        TestRegistry reg = TestRegistry.shared();
        Path dir = Files.createTempDirectory("andock-restart-");
        Path root = dir.resolve("root"), socket = dir.resolve("d.sock"), config = dir.resolve("cfg");
        Files.createDirectories(config);
        Process d = daemon(root, socket);
        try {
            var run = docker(socket, config, "run", "-d", "--name", "survivor", reg.ref("busybox"), "sleep", "300");
            assertThat(run.code()).as(run.all()).isZero();
            var always = docker(socket, config, "run", "-d", "--name", "phoenix", "--restart", "always", reg.ref("busybox"), "sleep", "300");
            assertThat(always.code()).as(always.all()).isZero();
            d.destroyForcibly(); // SIGKILL
            d.waitFor();
            d = daemon(root, socket);
            var ps = docker(socket, config, "ps", "--format", "{{.Names}} {{.Status}}");
            assertThat(ps.out()).contains("survivor Up").contains("phoenix Up");
            var exec = docker(socket, config, "exec", "survivor", "echo", "still-here");
            assertThat(exec.out()).isEqualTo("still-here\n");
            assertThat(docker(socket, config, "rm", "-f", "survivor", "phoenix").code()).isZero();
        } finally {
            d.destroyForcibly();
            d.waitFor();
        }
    }
}
