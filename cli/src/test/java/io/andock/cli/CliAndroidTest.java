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
 * The README's commands as an unrooted Termux app runs them (shared/android-sim: uid 10234, no capabilities,
 * Android's app seccomp policy, no user namespaces, link() refused): andock must choose proot by itself, pull from
 * a registry, and run, run -d, logs, exec, stop and rm.
 */
@Tag("android")
class CliAndroidTest {

    @Test
    void theReadmeCommands_workAsAnUnrootedApp(@TempDir Path tmp) throws Exception {
        Path sim = AndroidSim.runAsApp();
        assumeTrue(Files.isExecutable(sim), "no Android simulator (shared/android-sim): skipped");
        Fixtures.assumeAvailable();
        TestRegistry registry = TestRegistry.shared();
        String image = registry.host() + "/busybox:latest";

        // The app can read only its own data dir: the classpath goes there, as Termux would install andock.
        AndroidApp app = new AndroidApp(tmp.resolve("phone"));
        Path data = app.data();
        app.ownAll();
        String andock = app.command();
        String script = String.join("\n",
                "A=\"" + andock + "\"",
                "echo \"uid=$(id -u)\"",
                "$A info --format 'driver={{.Driver}}'",
                "$A pull -q " + image + "; echo \"pull rc=$?\"",
                "$A run --rm " + image + " sh -c 'echo hello from uid $(id -u)'; echo \"rc=$?\"",
                "$A run --rm " + image + " sh -c 'exit 7'; echo \"rc=$?\"",
                "$A run -d --name web " + image + " sh -c 'echo started; trap \"echo bye; exit 3\" TERM; while :; do sleep 0.1; done' >/dev/null",
                "sleep 1",
                "$A logs web",
                "$A exec web cat /etc/hostname >/dev/null; echo \"exec rc=$?\"",
                "$A stop -t 5 web",
                "$A ps -a --format '{{.Names}} {{.Status}}'",
                "$A rm web",
                "$A ps -a -q | wc -l",
                "echo done");
        Cmd.Result r = Cmd.exec(sim.toString(), "--data", data.toString(), "--", "sh", "-c", script);
        String out = r.stdout();
        assertThat(r.exitCode()).as(r.stderr() + out).isZero();
        assertThat(out).as(r.stderr()).contains("uid=10234\n", "driver=proot\n", "pull rc=0\n", "hello from uid 0\n",
                "rc=0\n", "rc=7\n", "started\n", "exec rc=0\n", "web\n", "done\n");
        assertThat(out).containsPattern("web Exited \\(3\\)");
        assertThat(out).contains("\n0\ndone");
    }
}
