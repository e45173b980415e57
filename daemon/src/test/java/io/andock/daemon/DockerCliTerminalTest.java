package io.andock.daemon;

import io.andock.json.Json;
import io.andock.task.Pty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code -t} through the API: the real docker CLI on a real pseudo-terminal (pty-session.py, python's pty), the
 * container on one of its own (util-linux script in the daemon, a second one by runc inside): line editing,
 * ^C, the terminal's size and its changes, detach keys, attaching to a running container's stdin.
 */
class DockerCliTerminalTest {
    static DaemonFixture f;
    static String bb;
    static Path driver;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Pty.available(), "util-linux script and stty are needed for a pty");
        f = new DaemonFixture();
        bb = f.image("busybox");
        assertThat(f.run("pull", "-q", bb).code()).isZero();
        driver = Path.of(DockerCliTerminalTest.class.getResource("/pty-session.py").toURI());
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    /** The docker CLI with {@code args} on a pty, driven by {@code steps} (see pty-session.py). */
    static DaemonFixture.Result session(List<List<Object>> steps, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", driver.toString(), Json.write(steps), "--", DaemonFixture.DOCKER));
        cmd.addAll(List.of(args));
        return DaemonFixture.collect(f.docker().command(cmd).redirectErrorStream(true), null, 90);
    }

    static List<Object> step(Object... s) {
        return List.of(s);
    }

    @Test
    void run_it_givesARealTerminal_sized_resized_interruptible() throws Exception {
        var r = session(List.of(
                step("expect", "# "),
                step("send", "tty; stty size; echo A$((6*7))B\r"), step("expect", "A42B"), step("expect", "# "),
                step("send", "sleep 60\r"), step("sleep", 1), step("send", "\u0003"), step("expect", "# "),
                step("resize", 40, 120), step("sleep", 1),
                step("send", "stty size; echo C$((1+1))D\r"), step("expect", "C2D"), step("expect", "# "),
                step("send", "exit 3\r")),
                "run", "-it", "--rm", bb, "sh");
        assertThat(r.code()).as(r.out()).isEqualTo(3);
        assertThat(r.out()).contains("/dev/pts/").contains("24 80\r\n").contains("^C").contains("40 120\r\n");
        assertThat(r.out()).doesNotContain("not a tty");
    }

    @Test
    void exec_it_givesARealTerminal_andItsExitCode() throws Exception {
        assertThat(f.run("run", "-d", "--name", "term-exec", bb, "sleep", "120").code()).isZero();
        var r = session(List.of(
                step("expect", "# "),
                step("resize", 30, 100), step("sleep", 1),
                step("send", "tty; stty size; echo E$((6*7))X\r"), step("expect", "E42X"), step("expect", "# "),
                step("send", "exit 4\r")),
                "exec", "-it", "term-exec", "sh");
        assertThat(r.code()).as(r.out()).isEqualTo(4);
        assertThat(r.out()).contains("/dev/pts/").contains("30 100\r\n");
        assertThat(f.run("rm", "-f", "term-exec").code()).isZero();
    }

    @Test
    void attach_toADetachedTerminal_typesIntoIt_andDetachesWithTheKeys() throws Exception {
        assertThat(f.run("run", "-dit", "--name", "term-attach", bb, "sh").code()).isZero();
        var r = session(List.of(
                step("sleep", 1),
                step("send", "echo F$((6*7))G\r"), step("expect", "F42G"),
                step("send", "\u0010\u0011")), // ctrl-p ctrl-q
                "attach", "term-attach");
        assertThat(r.out()).contains("F42G");
        assertThat(f.run("inspect", "-f", "{{.State.Running}}", "term-attach").out().trim()).isEqualTo("true");
        assertThat(f.run("logs", "term-attach").out()).contains("F42G");
        assertThat(f.run("rm", "-f", "term-attach").code()).isZero();
    }

    @Test
    void run_it_detachesWithTheKeys_andTheShellGoesOn() throws Exception {
        // the container runs attached to this session: leaving must not end its input (Docker: a TTY's stdin is
        // never closed by a client's EOF), and exec -it detaches the same way
        var r = session(List.of(
                step("expect", "# "),
                step("send", "echo H$((6*7))I\r"), step("expect", "H42I"),
                step("send", "\u0010\u0011")),
                "run", "-it", "--name", "term-run-detach", bb, "sh");
        assertThat(r.code()).as(r.out()).isZero();
        Thread.sleep(1000);
        assertThat(f.run("inspect", "-f", "{{.State.Running}}", "term-run-detach").out().trim()).isEqualTo("true");
        var e = session(List.of(
                step("expect", "# "),
                step("send", "\u0010\u0011")),
                "exec", "-it", "term-run-detach", "sh");
        // the docker CLI's own words and status for a detached exec (as against dockerd): the escape is its error
        assertThat(e.out()).contains("read escape sequence");
        var again = session(List.of(
                step("sleep", 1),
                step("send", "echo J$((6*7))K\r"), step("expect", "J42K"),
                step("send", "\u0010\u0011")),
                "attach", "term-run-detach");
        assertThat(again.out()).contains("J42K");
        assertThat(f.run("inspect", "-f", "{{.State.Running}}", "term-run-detach").out().trim()).isEqualTo("true");
        assertThat(f.run("rm", "-f", "term-run-detach").code()).isZero();
    }

    @Test
    void attach_feedsStdinOfADetachedContainerStartedWithI() throws Exception {
        assertThat(f.run("run", "-di", "--name", "reader", bb, "sh", "-c", "while read l; do echo got:$l; done").code()).isZero();
        // as with Docker (no StdinOnce for -d), the container keeps its stdin open and attach stays until stopped
        Process p = f.docker("attach", "reader").redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread t = DaemonFixture.pump(p.getInputStream(), out);
        try {
            Thread.sleep(1000);
            p.getOutputStream().write("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            for (int i = 0; i < 100 && !out.toString(StandardCharsets.UTF_8).contains("got:two"); i++) Thread.sleep(100);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("got:one").contains("got:two");
        } finally {
            p.destroy();
            t.join(5000);
        }
        assertThat(f.run("logs", "reader").out()).contains("got:two");
        assertThat(f.run("inspect", "-f", "{{.State.Running}}", "reader").out().trim()).isEqualTo("true");
        assertThat(f.run("rm", "-f", "reader").code()).isZero();
    }
}
