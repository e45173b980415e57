package io.andock.packaging;

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
 * The Termux package unpacked into an app's {@code $PREFIX} under shared/android-sim (an unrooted phone's rules),
 * then used only through {@code $PREFIX/bin/andock}: pull, run, run -d, exec, logs, rm and the API daemon. The app
 * runs Debian's java and proot from the host's PATH, as Termux's would be found in {@code $PREFIX/bin}.
 */
@Tag("android")
class TermuxPackageTest {

    @Test
    void unpackedIntoPrefix_pullsRunsExecsLogsAndServesTheApi(@TempDir Path tmp) throws Exception {
        Path sim = AndroidSim.runAsApp();
        assumeTrue(Files.isExecutable(sim), "no Android simulator (shared/android-sim): skipped");
        Fixtures.assumeAvailable();
        String image = TestRegistry.shared().host() + "/busybox:latest";
        Path data = tmp.resolve("phone");
        Path unpacked = tmp.resolve("deb");
        Cmd.run("dpkg-deb", "-x", Packages.of("0.2.0").termux.toString(), unpacked.toString());
        Files.createDirectories(data.resolve("files/home"));
        Cmd.run("cp", "-a", unpacked.resolve(Packages.TERMUX_PREFIX).toString(), data.resolve("files/usr").toString());
        Files.createDirectories(data.resolve("files/usr/tmp"));
        // stand-in for Termux's dash, which every Termux has at $PREFIX/bin/sh (the wrapper's #! line)
        Files.createSymbolicLink(data.resolve("files/usr/bin/sh"), Path.of("/bin/sh"));
        Cmd.run("chown", "-R", "10234:10234", data.toString());

        String script = String.join("\n",
                "A=$PREFIX/bin/andock",
                "S=$PREFIX/tmp/andock.sock",
                "echo \"andock=$(command -v andock)\"",
                "ANDOCK_CDS=sync andock --version >/dev/null; echo \"version rc=$?\"",
                "ls $HOME/.cache/andock | grep -c '^andock-.*\\.jsa$'",
                "$A pull -q " + image + " >/dev/null; echo \"pull rc=$?\"",
                "$A run --rm " + image + " sh -c 'echo hello from uid $(id -u)'; echo \"run rc=$?\"",
                "$A run -d --name web " + image + " sh -c 'echo started; while :; do sleep 0.1; done' >/dev/null; echo \"run -d rc=$?\"",
                "$A exec web echo inside; echo \"exec rc=$?\"",
                // the log is written by the container's own writer: wait for the line, bounded
                "i=0; until $A logs web | grep -q started || [ $i -ge 100 ]; do sleep 0.1; i=$((i+1)); done",
                "$A logs web; echo \"logs rc=$?\"",
                "$A rm -f web >/dev/null; echo \"rm rc=$?\"",
                "$A daemon -H unix://$S >$HOME/daemon.log 2>&1 &",
                "pid=$!",
                "i=0; while [ ! -S $S ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done",
                "curl -sS --unix-socket $S http://d/_ping; echo",
                "curl -sS --unix-socket $S http://d/images/json | grep -o '\"RepoTags\":\\[[^]]*\\]'",
                "kill $pid; wait $pid",
                "echo done");
        Cmd.Result r;
        try {
            r = Cmd.exec(sim.toString(), "--data", data.toString(), "--", "sh", "-c", script);
        } finally {
            Files.deleteIfExists(data.resolve("files/usr/bin/sh"));   // a link out of the temp dir
        }
        String out = r.stdout();
        assertThat(r.exitCode()).as(r.stderr() + out).isZero();
        assertThat(out).as(r.stderr()).contains(
                "andock=/data/data/com.termux/files/usr/bin/andock\n",
                "version rc=0\n1\n",                 // the start-up archive was made with the app's rights
                "pull rc=0\n", "hello from uid 0\nrun rc=0\n", "run -d rc=0\n", "inside\nexec rc=0\n",
                "started\n", "logs rc=0\n", "rm rc=0\n",
                "OK\n", "\"RepoTags\":[\"" + image + "\"]", "done\n");
    }
}
