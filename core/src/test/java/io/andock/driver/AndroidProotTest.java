package io.andock.driver;

import io.andock.container.TestImages;
import io.andock.os.HostTools;
import io.andock.task.RuntimeMain;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The proot driver as an unrooted Termux app (shared/android-sim: uid 10234, no caps, Android's app seccomp
 * allowlist, no user namespaces, no hard links, hidepid): run, run -d, logs, exec, stop, rm through
 * {@link RuntimeMain}, with classes and rootfs copied into the app's data dir.
 */
@Tag("android")
class AndroidProotTest {
    static final Path SIM = io.andock.testkit.AndroidSim.runAsApp();

    @Test
    void prootDriver_worksAsAnUnrootedApp(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(SIM), "no Android simulator at " + SIM + " (shared/android-sim): skipped");
        assumeTrue(HostTools.isRoot(), "the Android simulator needs root");
        TestImages.shared().resolve("busybox", null);
        Path data = tmp.resolve("phone");
        Path home = data.resolve("files/home");
        Files.createDirectories(home);
        for (String[] c : new String[][]{{"core/target/classes", "cp/core"}, {"core/target/test-classes", "cp/test"},
                {"testkit/target/classes", "cp/testkit"}}) {
            Path src = Path.of(System.getProperty("user.dir")).resolveSibling(c[0]);
            if (!Files.isDirectory(src)) src = Path.of(System.getProperty("user.dir"), c[0]);
            Files.createDirectories(home.resolve(c[1]).getParent());
            Cmd.exec("cp", "-a", src.toString(), home.resolve(c[1]).toString()).check();
        }
        Files.createDirectories(home.resolve("images"));
        Cmd.exec("cp", "-a", "/var/tmp/andock-runtime-test-images/latest", home.resolve("images/latest").toString()).check();
        Cmd.exec("chown", "-R", "10234:10234", data.toString()).check();
        String main = "java -XX:TieredStopAtLevel=1 -cp $HOME/cp/core:$HOME/cp/test:$HOME/cp/testkit "
                + RuntimeMain.class.getName() + " $HOME/andock $HOME/images proot";
        String script = String.join("\n",
                "A=\"" + main + "\"",
                "echo \"uid=$(id -u)\"",
                "$A run --rm busybox sh -c 'echo hello from $(id -u); cat /proc/loadavg >/dev/null && echo proc ok'; echo \"rc=$?\"",
                "$A run --rm busybox sh -c 'exit 7'; echo \"rc=$?\"",
                "$A run -d --name web busybox sh -c 'echo started; trap \"echo bye; exit 3\" TERM; while :; do sleep 0.1; done' >/dev/null",
                "sleep 1",
                "$A logs web",
                "$A exec web sh -c 'echo exec $(cat /etc/hostname | wc -l)'; echo \"exec rc=$?\"",
                "$A stop web 5",
                "$A ps",
                "$A rm web",
                "$A ps",
                "echo done");
        Cmd.Result r = Cmd.exec(SIM.toString(), "--data", data.toString(), "--", "sh", "-c", script);
        String out = r.stdout();
        assertThat(r.exitCode()).as(r.stderr() + out).isZero();
        assertThat(out).contains("uid=10234", "hello from 0\n", "proc ok\n", "rc=0\n", "rc=7\n", "started\n",
                "exec 1\n", "exec rc=0\n", "done\n");
        assertThat(out).containsPattern("web  Exited \\(3\\)");
        assertThat(out.substring(out.lastIndexOf("Exited (3)"))).doesNotContain("web  ");
    }
}
