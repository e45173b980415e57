package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Container endpoints driven by the real docker CLI 28.2.2. */
class DockerCliContainersTest {
    static DaemonFixture f;
    static String bb;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
        bb = f.image("busybox");
        assertThat(f.run("pull", "-q", bb).code()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void run_rm_printsOutputAndExitsWithTheContainersCode() throws Exception {
        var r = f.run("run", "--rm", bb, "echo", "hi");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).isEqualTo("hi\n");
        var seven = f.run("run", "--rm", bb, "sh", "-c", "echo err >&2; exit 7");
        assertThat(seven.code()).isEqualTo(7);
        assertThat(seven.err()).contains("err");
        assertThat(f.run("ps", "-aq").out()).isBlank();
    }

    @Test
    void run_unknownCommand_exits127AndRemovesTheContainer() throws Exception {
        var r = f.run("run", "--rm", bb, "nosuchcmd");
        assertThat(r.code()).isEqualTo(127);
        assertThat(r.err()).contains("executable file not found");
    }

    @Test
    void run_pullsAMissingImage() throws Exception {
        f.run("rmi", "-f", f.image("busybox:configured"));
        var r = f.run("run", "--rm", "--entrypoint", "true", f.image("busybox:configured"));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err()).contains("Unable to find image").contains("Pull complete");
    }

    @Test
    void run_i_feedsStdinUntilItsEnd() throws Exception {
        var r = f.runWithInput("line1\nline2\n".getBytes(), "run", "-i", "--rm", bb, "sh", "-c", "cat; exit 3");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("line1\nline2\n");
    }

    @Test
    void run_it_throughAPseudoTerminal_withResize() throws Exception {
        String script = "(sleep 2; echo 'echo inside-$((6*7))'; sleep 1; stty cols 100 rows 30 2>/dev/null; echo 'exit 5'; sleep 2)"
                + " | script -qec '" + DaemonFixture.DOCKER + " run -it --rm " + bb + " sh' /dev/null";
        ProcessBuilder pb = f.docker().command("sh", "-c", script);
        var r = exec(pb, 30);
        assertThat(r.out()).contains("inside-42");
        assertThat(r.code()).isEqualTo(5);
    }

    @Test
    void detached_ps_logs_exec_inspect_stop_rm() throws Exception {
        var run = f.run("run", "-d", "-p", "8080:8080", "--name", "web", f.image("busybox:configured"));
        assertThat(run.code()).as(run.all()).isZero();
        try {
            detachedLifecycle(run);
        } finally {
            f.run("rm", "-f", "web"); // a failure here must not leave port 8080 and the name to the next tests
        }
    }

    private void detachedLifecycle(DaemonFixture.Result run) throws Exception {
        String id = run.out().trim();
        assertThat(id).hasSize(64);
        var ps = f.run("ps", "--format", "{{.Names}} {{.Status}} {{.Ports}}");
        assertThat(ps.out()).contains("web Up").contains("0.0.0.0:8080->8080/tcp");
        assertThat(httpGet("http://127.0.0.1:8080/")).contains("hello from andock");
        // httpd -v logs to stderr after it answered, and the log writer stamps the line after that: it may lag
        String errLog = "";
        for (int i = 0; i < 100 && !errLog.contains("response:200"); i++, Thread.sleep(50)) errLog = f.run("logs", "web").err();
        assertThat(errLog).contains("response:200");
        var ex = f.run("exec", "web", "sh", "-c", "echo in-exec; exit 3");
        assertThat(ex.code()).isEqualTo(3);
        assertThat(ex.out()).isEqualTo("in-exec\n");
        assertThat(f.run("inspect", "-f", "{{.State.Status}} {{.State.Running}} {{.Name}}", "web").out().trim())
                .isEqualTo("running true /web");
        assertThat(f.run("port", "web").out()).contains("8080/tcp -> 0.0.0.0:8080");
        var rm = f.run("rm", "web");
        assertThat(rm.code()).isEqualTo(1);
        assertThat(rm.err()).contains("container is running");
        assertThat(f.run("stop", "-t", "1", "web").out().trim()).isEqualTo("web");
        assertThat(f.run("ps", "-a", "--format", "{{.Names}} {{.Status}}").out()).contains("web Exited");
        assertThat(f.run("stop", "web").code()).isZero(); // 304: already stopped
        assertThat(f.run("rm", "web").code()).isZero();
        assertThat(f.run("inspect", "web").code()).isEqualTo(1);
    }

    @Test
    void exec_it_throughAPseudoTerminal() throws Exception {
        assertThat(f.run("run", "-d", "--name", "shell", bb, "sleep", "60").code()).isZero();
        String script = "(sleep 2; echo 'echo ex-$((6*7))'; sleep 1; echo 'exit 4'; sleep 2)"
                + " | script -qec '" + DaemonFixture.DOCKER + " exec -it shell sh' /dev/null";
        var r = exec(f.docker().command("sh", "-c", script), 30);
        assertThat(r.out()).contains("ex-42");
        assertThat(r.code()).isEqualTo(4);
        assertThat(f.run("rm", "-f", "shell").code()).isZero();
    }

    @Test
    void logs_separateStreams_timestamps_since_tail() throws Exception {
        assertThat(f.run("run", "-d", "--name", "logger", bb, "sh", "-c", "echo out1; echo err1 >&2; sleep 1.5; echo out2").code()).isZero();
        assertThat(f.run("wait", "logger").out().trim()).isEqualTo("0");
        var plain = f.run("logs", "logger");
        assertThat(plain.out()).isEqualTo("out1\nout2\n");
        assertThat(plain.err()).isEqualTo("err1\n");
        var stamped = f.run("logs", "-t", "logger");
        List<String> lines = stamped.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z out1");
        java.time.Instant first = java.time.Instant.parse(lines.get(0).split(" ")[0]);
        java.time.Instant second = java.time.Instant.parse(lines.get(1).split(" ")[0]);
        assertThat(java.time.Duration.between(first, second).toMillis()).isBetween(1000L, 5000L);
        String since = first.plusMillis(700).toString();
        assertThat(f.run("logs", "--since", since, "logger").out()).isEqualTo("out2\n");
        assertThat(f.run("logs", "--until", since, "logger").out()).isEqualTo("out1\n");
        assertThat(f.run("logs", "--tail", "1", "logger").out()).isEqualTo("out2\n");
        assertThat(f.run("rm", "logger").code()).isZero();
    }

    @Test
    void pause_freezes_unpause_thaws() throws Exception {
        assertThat(f.run("run", "-d", "--name", "frozen", bb, "sh", "-c",
                "mkdir -p /tmp; i=0; while true; do i=$((i+1)); echo $i >/tmp/n; sleep 0.05; done").code()).isZero();
        Thread.sleep(500);
        var pause = f.run("pause", "frozen");
        assertThat(pause.code()).as(pause.all()).isZero();
        assertThat(f.run("ps", "--format", "{{.Names}} {{.Status}}").out()).contains("frozen Up").contains("(Paused)");
        assertThat(f.run("inspect", "-f", "{{.State.Status}} {{.State.Paused}} {{.State.Running}}", "frozen").out().trim())
                .isEqualTo("paused true true");
        var exec = f.run("exec", "frozen", "true");
        assertThat(exec.code()).isNotZero();
        assertThat(exec.err()).contains("is paused");
        assertThat(f.run("pause", "frozen").err()).contains("already paused");
        assertThat(f.run("unpause", "frozen").code()).isZero();
        String before = f.run("exec", "frozen", "cat", "/tmp/n").out().trim();
        Thread.sleep(500);
        String after = f.run("exec", "frozen", "cat", "/tmp/n").out().trim();
        assertThat(Integer.parseInt(after)).isGreaterThan(Integer.parseInt(before)); // it runs again
        assertThat(f.run("pause", "frozen").code()).isZero();
        assertThat(f.run("rm", "-f", "frozen").code()).as("a paused container can be removed").isZero();
    }

    @Test
    void stop_withASignal_sendsThatSignal() throws Exception {
        assertThat(f.run("run", "-d", "--name", "trapper", bb, "sh", "-c",
                "trap 'echo got-usr1; exit 9' USR1; while true; do sleep 0.2; done").code()).isZero();
        Thread.sleep(500);
        assertThat(f.run("stop", "-s", "USR1", "-t", "10", "trapper").code()).isZero();
        assertThat(f.run("wait", "trapper").out().trim()).isEqualTo("9");
        assertThat(f.run("logs", "trapper").out()).contains("got-usr1");
        assertThat(f.run("rm", "trapper").code()).isZero();
    }

    @Test
    void wait_kill_andExitCodes() throws Exception {
        assertThat(f.run("run", "-d", "--name", "sleeper", bb, "sleep", "60").code()).isZero();
        var kill = f.run("kill", "sleeper");
        assertThat(kill.code()).as(kill.all()).isZero();
        assertThat(f.run("wait", "sleeper").out().trim()).isEqualTo("137"); // 128+SIGKILL, as Docker
        var again = f.run("kill", "sleeper");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("is not running");
        assertThat(f.run("rm", "sleeper").code()).isZero();
    }

    @Test
    void cp_inAndOut() throws Exception {
        assertThat(f.run("create", "--name", "cpbox", bb, "cat", "/tmp/in.txt").code()).isZero();
        var host = f.dir.resolve("in.txt");
        Files.writeString(host, "copied in\n");
        var in = f.run("cp", host.toString(), "cpbox:/tmp/in.txt");
        assertThat(in.code()).as(in.all()).isZero();
        var start = f.run("start", "-a", "cpbox");
        assertThat(start.out()).isEqualTo("copied in\n");
        var out = f.run("cp", "cpbox:/etc/passwd", f.dir.resolve("passwd").toString());
        assertThat(out.code()).as(out.all()).isZero();
        assertThat(Files.readString(f.dir.resolve("passwd"))).startsWith("root:");
        assertThat(f.run("rm", "cpbox").code()).isZero();
    }

    @Test
    void stats_events_restartPolicy() throws Exception {
        assertThat(f.run("run", "-d", "--name", "st", bb, "sleep", "60").code()).isZero();
        var stats = f.run("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}");
        assertThat(stats.code()).as(stats.all()).isZero();
        assertThat(stats.out()).contains("st 1");
        var events = f.run("events", "--since", "0", "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                "--filter", "container=st", "--format", "{{.Action}}");
        assertThat(events.out()).contains("create").contains("start");
        assertThat(f.run("rm", "-f", "st").code()).isZero();

        assertThat(f.run("run", "-d", "--name", "flaky", "--restart", "on-failure:2", bb, "sh", "-c", "exit 1").code()).isZero();
        long deadline = System.currentTimeMillis() + 15_000;
        String count = "";
        while (System.currentTimeMillis() < deadline) {
            count = f.run("inspect", "-f", "{{.RestartCount}}", "flaky").out().trim();
            if (count.equals("2")) break;
            Thread.sleep(300);
        }
        assertThat(count).isEqualTo("2");
        assertThat(f.run("rm", "-f", "flaky").code()).isZero();
    }

    @Test
    void logsFollow_survivesClientDisconnect() throws Exception {
        assertThat(f.run("run", "-d", "--name", "ticker", bb, "sh", "-c", "while true; do echo tick; sleep 0.2; done").code()).isZero();
        for (int i = 0; i < 5; i++) {
            Process p = f.docker("logs", "-f", "ticker").start();
            byte[] first = p.getInputStream().readNBytes(5);
            assertThat(new String(first)).isEqualTo("tick\n");
            p.destroyForcibly(); // mid-stream
            p.waitFor();
        }
        Process attach = f.docker("attach", "ticker").start();
        assertThat(new String(attach.getInputStream().readNBytes(5))).isEqualTo("tick\n");
        attach.destroyForcibly();
        assertThat(f.run("version").code()).isZero(); // still serving
        assertThat(f.run("rm", "-f", "ticker").code()).isZero();
    }

    /**
     * Every one of 50 concurrent {@code docker run --rm} gets its output and its exit code. By hand, as a stress:
     * {@code -Dandock.stress.rounds=20 -Dandock.stress.runs=100}.
     */
    @Test
    void fiftyConcurrentRuns() throws Exception {
        int rounds = Integer.getInteger("andock.stress.rounds", 1), runs = Integer.getInteger("andock.stress.runs", 50);
        List<String> lost = new ArrayList<>();
        for (int round = 0; round < rounds; round++) lost.addAll(concurrentRuns(runs, round));
        assertThat(lost).as(lost.size() + " of " + rounds * runs + " runs lost their output or exit code").isEmpty();
        assertThat(f.run("ps", "-aq").out()).isBlank();
    }

    /** Runs {@code runs} containers at once; what each one that lost its output or exit code printed. */
    private static List<String> concurrentRuns(int runs, int round) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            List<Future<DaemonFixture.Result>> all = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                int n = i;
                all.add(pool.submit(() -> f.run("run", "--rm", bb, "sh", "-c", "echo run-" + n + "; exit $((" + n + " % 7))")));
            }
            List<String> lost = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                var r = all.get(i).get(300, TimeUnit.SECONDS);
                if (!r.out().equals("run-" + i + "\n") || r.code() != i % 7) {
                    lost.add("round " + round + ", run " + i + ": exit " + r.code() + ", output [" + r.all() + "]");
                }
            }
            return lost;
        } finally {
            pool.shutdownNow();
        }
    }

    /** 20 detached containers at once: when {@code docker wait} returns, {@code docker logs} has all of the output. */
    @Test
    void detachedRuns_everyLineIsLoggedWhenWaitReturns() throws Exception {
        int runs = 20, lines = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        try {
            List<Future<String>> all = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                all.add(pool.submit(() -> {
                    var run = f.run("run", "-d", bb, "sh", "-c", "seq 1 " + lines + "; seq 1 " + lines + " >&2; exit 3");
                    String id = run.out().trim();
                    var wait = f.run("wait", id);
                    var logs = f.run("logs", id);
                    f.run("rm", id);
                    boolean ok = run.code() == 0 && wait.out().trim().equals("3")
                            && logs.out().split("\n").length == lines && logs.out().endsWith("\n" + lines + "\n")
                            && logs.err().split("\n").length == lines && logs.err().endsWith("\n" + lines + "\n");
                    return ok ? "" : id + ": wait " + wait.all().trim() + ", " + logs.out().split("\n").length + " lines out, "
                            + logs.err().split("\n").length + " err";
                }));
            }
            for (Future<String> r : all) assertThat(r.get(300, TimeUnit.SECONDS)).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    static String httpGet(String url) throws Exception {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        for (int i = 0; ; i++) {
            try {
                return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                if (i > 20) throw e;
                Thread.sleep(200);
            }
        }
    }

    static DaemonFixture.Result exec(ProcessBuilder pb, int seconds) throws Exception {
        return DaemonFixture.collect(pb.redirectErrorStream(true), null, seconds);
    }
}
