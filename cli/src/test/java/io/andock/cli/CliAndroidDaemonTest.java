package io.andock.cli;

import io.andock.testkit.AndroidSim;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code andock daemon} as an unrooted Termux app runs it (shared/android-sim), on a socket in the app's private
 * {@code $PREFIX/tmp}, with the real docker CLI ({@code /usr/local/bin/docker}, on the app's PATH after the Termux
 * dirs) as its client, also inside the simulator: only the app can reach its data dir.
 */
@Tag("android")
class CliAndroidDaemonTest {
    static final String DOCKER = "/usr/local/bin/docker";

    @Test
    void dockerCli_againstTheDaemon_asAnUnrootedApp(@TempDir Path tmp) throws Exception {
        Path sim = AndroidSim.runAsApp();
        assumeTrue(Files.isExecutable(sim), "no Android simulator (shared/android-sim): skipped");
        assumeTrue(Files.isExecutable(Path.of(DOCKER)), "no docker CLI at " + DOCKER + ": skipped");
        Fixtures.assumeAvailable();
        TestRegistry registry = TestRegistry.shared();
        String image = registry.host() + "/busybox:latest";

        // The app can read only its own data dir: the classpath goes there, as Termux would install andock.
        AndroidApp app = new AndroidApp(tmp.resolve("phone"));
        Path data = app.data();
        Files.createDirectories(data.resolve("files/usr/tmp"));
        app.ownAll();
        String andock = app.command();
        String script = String.join("\n",
                "A=\"" + andock + "\"",
                "S=$PREFIX/tmp/andock.sock",
                "export DOCKER_HOST=unix://$S DOCKER_CONFIG=$HOME/.docker",
                "unset DOCKER_API_VERSION DOCKER_CONTEXT",
                "echo \"uid=$(id -u) docker=$(command -v docker)\"",
                "$A daemon -H unix://$S >$HOME/daemon.log 2>&1 &",
                "pid=$!",
                "i=0; while [ ! -S $S ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done",
                "[ -S $S ] || { echo no socket; cat $HOME/daemon.log; kill $pid; exit 1; }",
                "docker version --format 'server={{.Server.Version}} api={{.Server.APIVersion}}'; echo \"version rc=$?\"",
                "docker run --rm " + image + " echo hi; echo \"run rc=$?\"",
                "docker run --name x7 " + image + " sh -c 'exit 7'; echo \"run rc=$?\"",
                "docker run --rm " + image + " sh -c 'exit 9'; echo \"rm run rc=$?\"",
                "docker run -t --rm " + image + " tty; echo \"tty rc=$?\"",
                "docker inspect -f 'exit={{.State.ExitCode}} {{.State.Status}}' x7; docker rm x7 >/dev/null",
                "docker ps -a -q | wc -l",
                "kill $pid; wait $pid; echo \"daemon rc=$?\"",
                "[ -S $S ] && echo socket left || echo socket gone",
                "echo '--- daemon log'; cat $HOME/daemon.log",
                "echo done");
        Cmd.Result r = Cmd.exec(sim.toString(), "--data", data.toString(), "--", "sh", "-c", script);
        String out = r.stdout();
        assertThat(r.exitCode()).as(r.stderr() + out).isZero();
        assertThat(out).as(r.stderr()).contains("uid=10234 docker=" + DOCKER + "\n", "version rc=0\n", "\nhi\nrun rc=0\n",
                "run rc=7\n", "rm run rc=9\n", "exit=7 exited\n", "\n0\n", "andock daemon listening on unix:///data/data/com.termux/files/usr/tmp/andock.sock", "done\n");
        assertThat(out).as(r.stderr()).containsPattern("server=\\S+ api=1\\.\\d+");
        // -t: the simulator refuses /dev/ptmx, so the daemon falls back to pipes (not a tty) instead of failing
        assertThat(out).as(r.stderr()).containsPattern("(/dev/pts/\\d+\r|not a tty)\n");
        // SIGTERM: the shutdown hook closes the daemon (JVM exit status 143 after a signal).
        assertThat(out).as(r.stderr()).containsPattern("daemon rc=(0|143)\n");
    }
}
