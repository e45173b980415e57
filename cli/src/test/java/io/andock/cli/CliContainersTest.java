package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The container commands of the README, end to end with each driver this machine has. */
@Tag("registry")
class CliContainersTest {
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
    }

    private String ref(String repoTag) {
        return registry.host() + "/" + repoTag;
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void run_exitCodes_andPullOnDemand(String driver) {
        Andock andock = new Andock(tmp.resolve("root"));
        Cmd.Result hello = andock.run("--driver", driver, "run", "--rm", ref("busybox:latest"), "echo", "hello");
        assertThat(hello.exitCode()).as(hello.stderr()).isZero();
        assertThat(hello.stdout()).isEqualTo("hello\n");
        assertThat(hello.stderr()).contains("Unable to find image");

        assertThat(andock.run("--driver", driver, "run", "--rm", ref("busybox:latest"), "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
        Cmd.Result notFound = andock.run("--driver", driver, "run", "--rm", ref("busybox:latest"), "nosuchcommand");
        assertThat(notFound.exitCode()).isEqualTo(127);
        assertThat(notFound.stderr()).contains("executable file not found");

        Cmd.Result env = andock.run("--driver", driver, "run", "--rm", "-e", "K=V", "-w", "/tmp", "-u", "1000:1000",
                ref("busybox:latest"), "sh", "-c", "echo $K $(pwd) $(id -u):$(id -g)");
        assertThat(env.stdout().strip()).isEqualTo("V /tmp 1000:1000");
        assertThat(andock.ok("ps", "-a", "-q")).isBlank();
    }

    /**
     * {@code run -d} answers once the container's process runs and {@code kill} once it is dead (Docker's rule):
     * an exec, a kill and a plain {@code rm} that follow at once succeed, also with several at a time (load makes
     * the runtime slower to start the process than to be spawned).
     */
    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void runDetached_isRunningWhenItAnswers_andKillIsDoneWhenItAnswers(String driver) throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", ref("busybox:latest"));
        int runs = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
        try {
            List<java.util.concurrent.Future<String>> all = new java.util.ArrayList<>();
            for (int i = 0; i < runs; i++) {
                all.add(pool.submit(() -> {
                    String id = andock.ok("--driver", driver, "run", "-d", ref("busybox:latest"), "sleep", "60").strip();
                    // the host has /work (this checkout's parent), the image has not: the exec ran inside the rootfs
                    Cmd.Result exec = andock.run("exec", id, "sh", "-c", "test -e /work || echo inside");
                    Cmd.Result kill = andock.run("kill", id);
                    Cmd.Result rm = andock.run("rm", id);
                    return "exec " + exec.exitCode() + " " + exec.stdout().strip().equals("inside") + exec.stderr()
                            + "; kill " + kill.exitCode() + kill.stderr() + "; rm " + rm.exitCode() + rm.stderr();
                }));
            }
            for (var f : all) {
                assertThat(f.get(300, java.util.concurrent.TimeUnit.SECONDS)).as(driver).isEqualTo("exec 0 true; kill 0; rm 0");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Parallel {@code andock run --rm} processes on one root: each prints its own output and exits with its code. */
    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void run_rm_inParallelProcesses_everyOutputAndExitCodeArrives(String driver) throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", ref("busybox:latest"));
        int runs = 12;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
        try {
            List<java.util.concurrent.Future<Cmd.Result>> all = new java.util.ArrayList<>();
            for (int i = 0; i < runs; i++) {
                String script = "echo out-" + i + "; echo err-" + i + " >&2; exit $((" + i + " % 7))";
                all.add(pool.submit(() -> andock.run("--driver", driver, "run", "--rm", ref("busybox:latest"), "sh", "-c", script)));
            }
            for (int i = 0; i < runs; i++) {
                Cmd.Result r = all.get(i).get(300, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.stdout()).as(driver + " run " + i + ": " + r.stderr()).isEqualTo("out-" + i + "\n");
                assertThat(r.stderr()).as(driver + " run " + i).isEqualTo("err-" + i + "\n");
                assertThat(r.exitCode()).as(driver + " run " + i).isEqualTo(i % 7);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(andock.ok("ps", "-a", "-q")).isBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void execProcesses_endWithTheContainer(String driver) throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", ref("busybox:latest"));
        andock.ok("--driver", driver, "run", "-d", "--name", "main", ref("busybox:latest"), "sleep", "1000");
        String marker = "sleep " + (40000 + (int) (Math.random() * 9999));
        List<String> cmd = new java.util.ArrayList<>(Andock.javaCommand());
        cmd.addAll(List.of("--root", andock.root().toString(), "exec", "main", "sh", "-c", marker));
        Process exec = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            for (int i = 0; i < 100 && running(marker).isEmpty(); i++) Thread.sleep(100);
            assertThat(running(marker)).as("the exec runs").isNotEmpty();
            andock.ok("rm", "-f", "main");
            for (int i = 0; i < 50 && !running(marker).isEmpty(); i++) Thread.sleep(100);
            assertThat(running(marker)).as("the exec ended with its container (no pid namespace for proot and chroot)").isEmpty();
        } finally {
            exec.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void healthCheck_runsThroughTheDriversExec_withNoJvmBehindIt(String driver) throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", ref("busybox:latest"));
        andock.ok("--driver", driver, "run", "-d", "--name", "hc", "--health-cmd", "test -f /tmp/ok && echo ok",
                "--health-interval", "200ms", "--health-retries", "2", ref("busybox:latest"),
                "sh", "-c", "sleep 1.5; touch /tmp/ok; sleep 600");
        // the CLI has exited: the monitor's loop runs the check
        String status = "";
        for (int i = 0; i < 100 && !status.equals("healthy"); i++, Thread.sleep(100)) {
            status = andock.ok("inspect", "--format", "{{.State.Health.Status}}", "hc").strip();
        }
        assertThat(status).isEqualTo("healthy");
        assertThat(andock.ok("ps", "--format", "{{.Status}}")).contains("(healthy)");
        assertThat(andock.ok("inspect", "--format", "{{json .State.Health.Log}}", "hc")).contains("\"Output\":\"ok\\n\"");
        andock.ok("rm", "-f", "hc");
        Thread.sleep(300);
        assertThat(healthLoops(andock)).as("the check loop ends with its container").isEmpty();
    }

    private static List<Long> healthLoops(Andock andock) throws java.io.IOException {
        List<Long> out = new java.util.ArrayList<>();
        try (var ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : ds) {
                try {
                    String cl = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cl.contains("andock-health.sh") && cl.contains(andock.root().toString())) out.add(Long.parseLong(p.getFileName().toString()));
                } catch (java.io.IOException ignored) {
                    // gone
                }
            }
        }
        return out;
    }

    /** Pids whose command line is exactly {@code command} (split at spaces). */
    static List<Long> running(String command) throws java.io.IOException {
        List<Long> out = new java.util.ArrayList<>();
        try (var ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : ds) {
                try {
                    String cl = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ').strip();
                    if (cl.equals(command)) out.add(Long.parseLong(p.getFileName().toString()));
                } catch (java.io.IOException ignored) {
                    // gone
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void signalsTheCallerIgnored_areDefaultsInTheContainer(String driver) throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", ref("busybox:latest"));
        // a background job of a script ignores SIGINT and SIGQUIT, and exec passes that on: not to the container
        Cmd.Result run = andock.runUnder(List.of("sh", "-c", "trap '' INT QUIT; exec \"$@\"", "ignoring"),
                "--driver", driver, "run", "-d", "--name", "int", ref("busybox:latest"),
                "sh", "-c", "trap 'echo got-int; exit 5' INT; echo ready; while true; do sleep 0.1; done");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        for (int i = 0; i < 50 && !andock.ok("logs", "int").contains("ready"); i++) Thread.sleep(100);
        andock.ok("kill", "-s", "INT", "int");
        String state = "";
        for (int i = 0; i < 100 && !(state = andock.ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "int").strip()).startsWith("exited"); i++) {
            Thread.sleep(100);
        }
        assertThat(state).as("SIGINT reached the container's trap").isEqualTo("exited 5");
        assertThat(andock.ok("logs", "int")).contains("got-int");
        andock.ok("rm", "-f", "int");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot"})
    void detached_logs_exec_stop_rm(String driver) throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", ref("busybox:latest"));
        String id = andock.ok("--driver", driver, "run", "-d", "--name", "web", ref("busybox:latest"),
                "sh", "-c", "echo started; trap 'echo bye; exit 3' TERM; while true; do sleep 0.1; done").strip();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(andock.ok("ps")).contains("web").contains("Up");
        for (int i = 0; i < 50 && !andock.ok("logs", "web").contains("started"); i++) Thread.sleep(100);
        assertThat(andock.ok("logs", "web")).isEqualTo("started\n");
        assertThat(andock.ok("exec", "web", "cat", "/etc/hostname").strip()).isNotEmpty();
        assertThat(andock.run("exec", "web", "sh", "-c", "exit 5").exitCode()).isEqualTo(5);
        Cmd.Result noCommand = andock.run("exec", "web", "nosuchcmd");
        assertThat(noCommand.exitCode()).as(noCommand.stderr()).isEqualTo(126); // docker exec's, not run's 127
        assertThat(noCommand.stderr()).contains("executable file not found in $PATH");

        Cmd.Result conflict = andock.run("--driver", driver, "run", "-d", "--name", "web", ref("busybox:latest"), "true");
        assertThat(conflict.exitCode()).isEqualTo(125);
        assertThat(conflict.stderr()).contains("is already in use");
        Cmd.Result running = andock.run("rm", "web");
        assertThat(running.exitCode()).isNotZero();
        assertThat(running.stderr()).contains("container is running");

        assertThat(andock.ok("stop", "-t", "5", "web").strip()).isEqualTo("web");
        assertThat(andock.ok("wait", "web").strip()).isEqualTo("3");
        assertThat(andock.ok("logs", "--tail", "1", "web")).isEqualTo("bye\n");
        assertThat(andock.ok("ps", "-a")).contains("Exited (3)");
        assertThat(andock.ok("inspect", "--format", "{{.State.ExitCode}} {{.Name}}", "web").strip()).isEqualTo("3 /web");
        andock.ok("rm", "web");
        assertThat(andock.ok("ps", "-a", "-q")).isBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot"})
    void publishedPort_servesTheImagesHttpd(String driver) throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", ref("busybox:configured"));
        int port = freePort();
        andock.ok("--driver", driver, "run", "-d", "--name", "httpd", "-p", port + ":8080", ref("busybox:configured"),
                "-p", "8080", "-h", "/www");
        String body = null;
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 50 && body == null; i++) {
            try {
                body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        assertThat(body).isEqualTo("hello from andock busybox:configured\n");
        assertThat(andock.ok("ps")).contains(port + "->8080/tcp");
        andock.ok("rm", "-f", "httpd");
    }

    @org.junit.jupiter.api.Test
    void volumes_andBinds() throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", ref("busybox:latest"));
        Path host = Files.createDirectories(tmp.resolve("hostdir"));
        Files.writeString(host.resolve("in.txt"), "from the host\n");
        assertThat(andock.ok("run", "--rm", "-v", host + ":/data:ro", ref("busybox:latest"), "cat", "/data/in.txt"))
                .isEqualTo("from the host\n");
        andock.ok("volume", "create", "--label", "team=a", "myvol");
        assertThat(andock.ok("volume", "inspect", "myvol")).contains("\"team\": \"a\"");
        andock.ok("run", "--rm", "-v", "myvol:/var/lib/x", ref("busybox:latest"), "sh", "-c", "echo kept > /var/lib/x/f");
        assertThat(andock.ok("run", "--rm", "-v", "myvol:/v", ref("busybox:latest"), "cat", "/v/f")).isEqualTo("kept\n");
        assertThat(andock.ok("volume", "ls")).contains("myvol");
        andock.ok("volume", "rm", "myvol");
        Cmd.Result missing = andock.run("run", "--rm", "-v", tmp.resolve("nope") + ":/x", ref("busybox:latest"), "true");
        assertThat(missing.exitCode()).isEqualTo(125);
        Cmd.Result badPort = andock.run("run", "--rm", "-p", "notaport", ref("busybox:latest"), "true");
        assertThat(badPort.exitCode()).isEqualTo(125);
        Cmd.Result badUser = andock.run("run", "--rm", "-u", "nosuchuser", ref("busybox:latest"), "true");
        assertThat(badUser.exitCode()).isEqualTo(125);
        assertThat(badUser.stderr()).contains("unable to find user nosuchuser");
    }

    @org.junit.jupiter.api.Test
    void info_namesTheDriverAndWhy() {
        Andock andock = new Andock(tmp.resolve("root"));
        String info = andock.ok("info");
        assertThat(info).contains("Driver").contains("oci");
        assertThat(andock.ok("--driver", "proot", "info", "--format", "{{.Driver}}").strip()).isEqualTo("proot");
    }

    static int freePort() throws java.io.IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
