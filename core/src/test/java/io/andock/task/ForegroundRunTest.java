package io.andock.task;

import io.andock.container.TestImages;
import io.andock.os.HostTools;
import io.andock.os.ProcessTable;
import io.andock.os.Signals;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A foreground run in its own JVM ({@link RuntimeMain}), as the CLI would: signals and the terminal. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForegroundRunTest {
    Path root;

    @BeforeAll
    void setUp(@TempDir Path tmp) {
        assumeTrue(HostTools.find("proot") != null, "proot is not installed");
        TestImages.shared().resolve("busybox", null);
        root = tmp.resolve("andock");
    }

    private List<String> main(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                RuntimeMain.class.getName(), root.toString(), "/var/tmp/andock-runtime-test-images", "proot"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void sigterm_toTheCli_reachesTheContainer() throws Exception {
        Process p = new ProcessBuilder(main("run", "--rm", "busybox", "sh", "-c",
                "trap 'echo got TERM; exit 5' TERM; echo ready; while :; do sleep 0.1; done"))
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(r.readLine()).isEqualTo("ready");
        ProcessTable.signal(Signals.TERM, List.of(p.pid())); // as kill(1) would; Process.destroy() closes the pipes
        assertThat(r.readLine()).isEqualTo("got TERM");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(5);
    }

    @Test
    void tty_sharesTheUsersTerminal_exitCodesPassThrough() {
        assumeTrue(HostTools.find("script") != null, "no script(1)");
        Cmd.Result withTty = Cmd.exec("script", "-qec", String.join(" ", quoteAll(main("run", "--rm", "-t", "busybox", "tty"))), "/dev/null");
        assertThat(withTty.stdout()).contains("/dev/pts/");
        Cmd.Result without = Cmd.exec(main("run", "--rm", "busybox", "sh", "-c", "tty; exit 7"));
        assertThat(without.stdout()).contains("not a tty");
        assertThat(without.exitCode()).isEqualTo(7);
        Cmd.Result missing = Cmd.exec(main("run", "--rm", "busybox", "nosuchcmd"));
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stderr()).contains("exec: \"nosuchcmd\": executable file not found in $PATH");
    }

    private static List<String> quoteAll(List<String> l) {
        return l.stream().map(s -> "'" + s.replace("'", "'\\''") + "'").toList();
    }
}
