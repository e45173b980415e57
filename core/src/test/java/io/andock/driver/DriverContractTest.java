package io.andock.driver;

import io.andock.container.ContainerSpec;
import io.andock.container.ContainerView;
import io.andock.container.ExecFailure;
import io.andock.container.ListOptions;
import io.andock.container.TestImages;
import io.andock.task.Attach;
import io.andock.task.ContainerService;
import io.andock.task.ExecSpec;
import io.andock.task.LogOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/*
 * SHARED DRIVER CONTRACT (owner: runtime core). Every Driver passes this suite through the real
 * ContainerService: bundle generation (OciSpecs + Driver.adaptSpec), the monitor shim, logs, stop, kill, exec.
 * To cover a driver, subclass it and implement driver() (see ProotDriverTest, ChrootDriverTest), e.g.
 *     class RuncDriverTest extends DriverContractTest { protected Driver driver() { return new OciDriver("runc"); } }
 * Images come from TestImages (the testkit's busybox unpacked by umoci). A case your driver cannot honour is
 * skipped by what driver().features() reports, never by the driver's name. Keep each case under ~2 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DriverContractTest {
    protected ContainerService service;
    protected Path root;

    protected abstract Driver driver();

    /** Skips the class when the driver cannot run here (not root, tool missing). */
    protected void assumeUsable() {
    }

    @BeforeAll
    void setUp(@TempDir Path tmp) throws Exception {
        assumeUsable();
        root = tmp.resolve("andock");
        service = new ContainerService(root, TestImages.shared(), Drivers.of(driver()));
    }

    @AfterAll
    void tearDown() {
        if (service != null) {
            for (ContainerView c : service.list(ListOptions.ALL)) service.remove(c.id(), true, true);
        }
    }

    protected Result run(ContainerSpec.Builder b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = service.run(b.autoRemove(true).build(), Attach.streams(null, out, err));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    protected record Result(int code, String out, String err) {}

    protected static ContainerSpec.Builder busybox(String... cmd) {
        return ContainerSpec.builder("busybox").cmd(cmd);
    }

    @Test
    void echo_printsToStdout() {
        Result r = run(busybox("echo", "hello"));
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("hello\n");
    }

    @Test
    void exitCode_isTheContainers() {
        assertThat(run(busybox("sh", "-c", "exit 7")).code()).isEqualTo(7);
        assertThat(run(busybox("true")).code()).isZero();
        assertThat(run(busybox("sh", "-c", "echo oops >&2; exit 1")).err()).isEqualTo("oops\n");
    }

    @Test
    void missingCommand_exits127_notExecutable_exits126() {
        assertThatThrownBy(() -> run(busybox("nosuchcmd")))
                .hasMessageContaining("exec: \"nosuchcmd\": executable file not found in $PATH")
                .satisfies(e -> assertThat(ExecFailure.exitCode(e)).isEqualTo(127));
        assertThatThrownBy(() -> run(busybox("/etc/passwd")))
                .hasMessageContaining("permission denied")
                .satisfies(e -> assertThat(ExecFailure.exitCode(e)).isEqualTo(126));
    }

    @Test
    void env_imageThenUser() {
        Result r = run(ContainerSpec.builder("busybox:configured").entrypoint(List.of("env")).env("K=V")
                .env("FIXTURE_EMPTY=set"));
        assertThat(r.out()).contains("FIXTURE_GREETING=hello world\n", "FIXTURE_EQUATION=a=b\n", "K=V\n",
                "FIXTURE_EMPTY=set\n", "PATH=", "HOME=");
    }

    @Test
    void workdir_isCreatedAndUsed() {
        assertThat(run(busybox("pwd").workingDir("/tmp/new/dir")).out()).isEqualTo("/tmp/new/dir\n");
        assertThat(run(ContainerSpec.builder("busybox:configured").entrypoint(List.of("pwd")).user("0")).out())
                .isEqualTo("/www\n");
    }

    @Test
    void user_numericAndNamed() {
        assertThat(run(busybox("sh", "-c", "echo $(id -u):$(id -g)").user("1000:1000")).out()).isEqualTo("1000:1000\n");
        assertThat(run(busybox("id", "-u").user("www-data")).out()).isEqualTo("33\n");
        assertThatThrownBy(() -> run(busybox("true").user("nosuchuser")))
                .hasMessageContaining("unable to find user nosuchuser: no matching entries in passwd file");
    }

    @Test
    void binds_readWriteAndReadOnly(@TempDir Path host) throws Exception {
        Files.writeString(host.resolve("in.txt"), "from host\n");
        Result r = run(busybox("sh", "-c", "cat /data/in.txt; echo from container > /data/out.txt")
                .volume(host + ":/data"));
        assertThat(r.out()).isEqualTo("from host\n");
        assertThat(Files.readString(host.resolve("out.txt"))).isEqualTo("from container\n");
        assertThatThrownBy(() -> run(busybox("true").volume("/nonexistent/andock/src:/data")))
                .hasMessageContaining("/nonexistent/andock/src");
        assumeTrue(driver().features().readOnlyMounts(), "driver cannot make binds read-only");
        Result ro = run(busybox("sh", "-c", "echo x > /data/out.txt").volume(host + ":/data:ro"));
        assertThat(ro.code()).isNotZero();
        assertThat(ro.err()).contains("Read-only file system");
    }

    @Test
    void namedVolume_persistsAndIsSeededFromImage() {
        ContainerSpec.Builder b = ContainerSpec.builder("busybox:configured").entrypoint(List.of("sh", "-c",
                "cat /data/seed.txt; echo more >> /data/seed.txt")).volume("contractvol:/data");
        assertThat(run(b).out()).isEqualTo("seeded from the image\n");
        assertThat(run(b).out()).isEqualTo("seeded from the image\nmore\n");
        service.volumes().remove("contractvol", false);
    }

    @Test
    void hostnameFile_andEtcFiles() {
        Result r = run(busybox("sh", "-c", "cat /etc/hostname; grep -c nameserver /etc/resolv.conf; grep -c localhost /etc/hosts")
                .hostname("box"));
        assertThat(r.out()).startsWith("box\n");
        assertThat(r.out().lines().skip(1)).allSatisfy(l -> assertThat(Integer.parseInt(l)).isPositive());
    }

    @Test
    void devShm_isWritable() {
        assertThat(run(busybox("sh", "-c", "echo x > /dev/shm/f && cat /dev/shm/f")).out()).isEqualTo("x\n");
    }

    @Test
    void detached_logsStopAndExitCode() {
        String id = service.runDetached(busybox("sh", "-c",
                "trap 'echo got TERM; exit 3' TERM; echo started; while :; do sleep 0.1; done").build());
        awaitLog(id, "started");
        assertThat(service.get(id).state().running()).isTrue();
        long t0 = System.nanoTime();
        service.stop(id, 5);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
        ContainerView v = service.get(id);
        assertThat(v.state().status()).isEqualTo("exited");
        assertThat(v.state().exitCode()).isEqualTo(3);
        assertThat(logs(id)).contains("started\n", "got TERM\n");
        service.remove(id, false, true);
    }

    @Test
    void stop_killsAfterTimeout() {
        String id = service.runDetached(busybox("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done").build());
        awaitLog(id, "ready");
        long t0 = System.nanoTime();
        service.stop(id, 1);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isBetween(900L, 4000L);
        assertThat(service.get(id).state().exitCode()).isEqualTo(137);
        service.remove(id, false, true);
    }

    @Test
    void kill_sendsTheSignal_andExecRuns() {
        String id = service.runDetached(busybox("sh", "-c",
                "trap 'echo got HUP' HUP; echo ready; while :; do sleep 0.1; done").hostname("web").build());
        awaitLog(id, "ready");
        service.kill(id, "HUP");
        awaitLog(id, "got HUP");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = service.exec(id, new ExecSpec(List.of("cat", "/etc/hostname"), List.of(), null, null, false, false),
                Attach.streams(null, out, new ByteArrayOutputStream()));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("web\n");
        int code2 = service.exec(id, new ExecSpec(List.of("sh", "-c", "exit 4"), List.of(), null, null, false, false),
                Attach.streams(null, new ByteArrayOutputStream(), new ByteArrayOutputStream()));
        assertThat(code2).isEqualTo(4);
        assertThatThrownBy(() -> service.remove(id, false, false))
                .hasMessageContaining("container is running: stop the container before removing or force remove");
        service.remove(id, true, true);
        assertThat(service.list(ListOptions.ALL)).noneMatch(c -> c.id().equals(id));
    }

    @Test
    void stopSignal_fromImageIsUsed() {
        // busybox:configured: httpd with StopSignal SIGINT, as 1000:1000 on port 8080 (host network: pick another)
        String id = service.runDetached(ContainerSpec.builder("busybox:configured")
                .cmd(List.of("-p", "127.0.0.1:" + freePort(), "-h", "/www")).build());
        awaitRunning(id);
        long t0 = System.nanoTime();
        service.stop(id, 5);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ContainerView v = service.get(id);
        if (driver().features().pidNamespace()) {
            assertThat(v.state().exitCode()).isEqualTo(137); // PID 1 ignores SIGINT: killed after the timeout
        } else {
            assertThat(ms).isLessThan(2500);
            assertThat(v.state().exitCode()).isEqualTo(130);
        }
        service.remove(id, false, true);
    }

    protected void awaitLog(String id, String text) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!logs(id).contains(text)) {
            if (System.nanoTime() > deadline) throw new AssertionError("no \"" + text + "\" in the log: " + logs(id));
            sleep(20);
        }
    }

    protected void awaitRunning(String id) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!service.get(id).state().running()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not running: " + service.get(id).state());
            sleep(20);
        }
        sleep(200);
    }

    protected String logs(String id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        service.logs(id, new LogOptions(false, -1, false), out, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
