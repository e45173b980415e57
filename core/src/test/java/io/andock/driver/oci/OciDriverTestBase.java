package io.andock.driver.oci;

import io.andock.AndockException;
import io.andock.container.Resources;
import io.andock.container.SecurityOptions;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The oci driver against a real runtime, with bundles from the engine's spec generator: run, exit codes,
 * signals, exec, terminals, limits, capabilities, seccomp, network none. Root only (skipped otherwise).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OciDriverTestBase {
    @TempDir Path tmp;
    OciDriver driver;
    private final List<String> started = new ArrayList<>();

    /** The runtime under test with its state root in {@code stateRoot}; null skips the class. */
    abstract OciRuntime runtime(Path stateRoot);

    @BeforeAll
    void setUp(@TempDir Path root) {
        Fixtures.assumeAvailable();
        OciRuntime rt = runtime(root.resolve("state"));
        assumeTrue(rt != null, "runtime not installed");
        driver = new OciDriver(rt, true, null);
        Bundles.rootfs("latest");
    }

    @AfterEach
    void cleanUp() {
        for (String id : started) driver.delete(tmp.resolve(id), id);
        started.clear();
    }

    private Path bundle(String name, List<String> args, boolean terminal, io.andock.container.ContainerSpec.Builder flags) {
        started.add(name);
        return Bundles.write(tmp.resolve(name), driver, "latest", args, terminal, flags);
    }

    private Bundles.Running start(String name, io.andock.container.ContainerSpec.Builder flags, String... args) {
        Path b = bundle(name, List.of(args), false, flags);
        return Bundles.start(driver.runCommand(b, name), tmp);
    }

    private Bundles.Running run(String name, io.andock.container.ContainerSpec.Builder flags, String... args) {
        Bundles.Running r = start(name, flags, args);
        r.await();
        return r;
    }

    @Test
    void echo_printsAndExitsZero() {
        Bundles.Running r = run("echo", Bundles.flags(), "echo", "hello");
        assertThat(r.process().exitValue()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("hello\n");
    }

    @Test
    void exitCode_isTheContainers() {
        assertThat(run("exit7", Bundles.flags(), "sh", "-c", "exit 7").process().exitValue()).isEqualTo(7);
        Bundles.Running err = run("stderr", Bundles.flags(), "sh", "-c", "echo oops >&2; exit 1");
        assertThat(err.process().exitValue()).isEqualTo(1);
        assertThat(err.stderr()).isEqualTo("oops\n");
    }

    @Test
    void kill_term_runsTheTrap_andExecReturnsItsCode() {
        String id = "trap";
        Bundles.Running r = start(id, Bundles.flags(), "sh", "-c", "trap 'echo got TERM; exit 3' TERM; echo ready; while :; do sleep 0.1; done");
        r.awaitOutput("ready");
        assertThat(driver.state(id).status()).isEqualTo("running");
        Bundles.Running e = Bundles.start(driver.execCommand(tmp.resolve(id), id, 0,
                Map.of("args", List.of("sh", "-c", "hostname; exit 4"), "env", List.of("PATH=/bin"))), tmp);
        assertThat(e.await()).isEqualTo(4);
        assertThat(e.stdout()).isEqualTo("box\n");
        driver.kill(tmp.resolve(id), id, 0, 15, false);
        assertThat(r.await()).isEqualTo(3);
        assertThat(r.stdout()).contains("got TERM");
        assertThatThrownBy(() -> driver.kill(tmp.resolve(id), id, 0, 15, false)).isInstanceOf(AndockException.class);
    }

    @Test
    void httpdAsPid1_ignoresTerm_diesOnKill() {
        String id = "httpd";
        Bundles.Running r = start(id, Bundles.flags(), "httpd", "-f", "-p", "127.0.0.1:8080", "-h", "/etc");
        awaitRunning(id);
        driver.kill(tmp.resolve(id), id, 0, 15, false);
        driver.kill(tmp.resolve(id), id, 0, 2, false);
        Bundles.sleep(300);
        assertThat(r.process().isAlive()).isTrue();
        driver.kill(tmp.resolve(id), id, 0, 9, true);
        assertThat(r.await()).isEqualTo(137);
    }

    @Test
    void terminal_runAndExec_throughScript() {
        assumeTrue(Cmd.exec("sh", "-c", "command -v script").ok(), "script not installed");
        String id = "tty";
        Path b = bundle(id, List.of("sh", "-c", "tty; [ -t 0 ] && echo stdin-is-tty; exit 5"), true, Bundles.flags());
        Cmd.Result r = Cmd.exec("script", "-qec", shellQuote(driver.runCommand(b, id)), "/dev/null");
        assertThat(r.exitCode()).as(r.stdout()).isEqualTo(5);
        assertThat(r.stdout()).contains("/dev/pts/0", "stdin-is-tty");

        Bundles.Running main = start("ttyexec", Bundles.flags(), "sh", "-c", "echo ready; while :; do sleep 0.1; done");
        main.awaitOutput("ready");
        List<String> exec = driver.execCommand(tmp.resolve("ttyexec"), "ttyexec", 0, Map.of("terminal", true,
                "args", List.of("sh", "-c", "tty; exit 6"), "env", List.of("PATH=/bin")));
        Cmd.Result e = Cmd.exec("script", "-qec", shellQuote(exec), "/dev/null");
        assertThat(e.exitCode()).as(e.stdout()).isEqualTo(6);
        assertThat(e.stdout()).contains("/dev/pts/");
        driver.kill(tmp.resolve("ttyexec"), "ttyexec", 0, 9, true);
        assertThat(main.await()).isEqualTo(137);
    }

    @Test
    void memoryAndCpuLimits_areInTheContainersCgroup_andEnforced() {
        Bundles.Running r = run("mem", Bundles.flags().resources(new Resources(32L << 20, 500_000_000L, 0)), "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max;"
                        + "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cat /sys/fs/cgroup/cpu.max;"
                        + "dd if=/dev/zero of=/dev/shm/fill bs=1M count=60 2>/dev/null; echo dd=$?");
        assertThat(r.stdout()).startsWith("33554432\n").endsWith("dd=137\n");   // dd OOM-killed at 32 MiB
        assertThat(r.stdout().lines().skip(1).findFirst().orElse("")).startsWith("50000");
    }

    @Test
    void pidsLimit_stopsAForkBomb() {
        Bundles.Running r = run("pids", Bundles.flags().resources(new Resources(0, 0, 10)), "sh", "-c",
                "sh -c 'i=0; while [ $i -lt 20 ]; do sleep 5 & i=$((i+1)); echo $i; done'; echo done");
        assertThat(r.stderr()).contains("can't fork");
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).last().isEqualTo("done");
        assertThat(Integer.parseInt(lines.get(lines.size() - 2))).isBetween(5, 9);   // sh, sh and the sleeps: 10
    }

    @Test
    void capabilities_areDockersDefault_andCapAddWorks() {
        String eff = run("caps", Bundles.flags(), "grep", "CapEff", "/proc/self/status").stdout();
        assertThat(eff).contains(String.format("%016x", Capabilities.mask(Capabilities.DOCKER_DEFAULT)));
        assertThat(eff).contains("00000000a80425fb");
        String added = run("capadd", Bundles.flags().security(new SecurityOptions(List.of("net_admin"), List.of("MKNOD"), false, true)),
                "sh", "-c", "grep CapEff /proc/self/status; ip link set lo down && echo lo-down").stdout();
        assertThat(added).contains("lo-down");
    }

    @Test
    void seccomp_deniesUserNamespaces_unlessUnconfined() {
        Bundles.Running denied = run("sc1", Bundles.flags(), "unshare", "-U", "true");
        assertThat(denied.process().exitValue()).isNotZero();
        assertThat(denied.stderr()).contains("Operation not permitted");
        Bundles.Running allowed = run("sc2", Bundles.flags().security(new SecurityOptions(List.of(), List.of(), false, false)),
                "unshare", "-U", "true");
        assertThat(allowed.process().exitValue()).as(allowed.stderr()).isZero();
    }

    @Test
    void networkNone_hasOnlyLoopback_whichWorks() {
        Bundles.Running r = run("netnone", Bundles.flags().networkMode("none"), "sh", "-c",
                "ip -o link | cut -d: -f2; httpd -p 127.0.0.1:80 -h /etc && wget -qO- http://127.0.0.1/passwd | head -1");
        assertThat(r.stdout().lines().map(String::strip).toList()).containsExactly("lo", "root:x:0:0:root:/root:/bin/sh");
    }

    @Test
    void networkHost_seesTheHostsInterfaces() throws Exception {
        // other containers' veths may come and go meanwhile: every interface the host kept throughout is seen
        java.util.Set<String> before = hostInterfaces();
        Bundles.Running r = run("nethost", Bundles.flags().networkMode("host"), "ls", "/sys/class/net");
        java.util.Set<String> after = hostInterfaces();
        java.util.Set<String> seen = new java.util.HashSet<>(List.of(r.stdout().strip().split("\\s+")));
        java.util.Set<String> stayed = new java.util.HashSet<>(before);
        stayed.retainAll(after);
        assertThat(stayed).hasSizeGreaterThan(1);
        assertThat(seen).containsAll(stayed);
    }

    private static java.util.Set<String> hostInterfaces() throws java.io.IOException {
        try (var s = Files.list(Path.of("/sys/class/net"))) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void arm64Image_runsThroughQemuBinfmt_whenRegisteredWithFlagF() throws Exception {
        Path entry = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");
        assumeTrue(Files.isRegularFile(entry) && Files.readString(entry).matches("(?s)enabled.*flags: [A-Z]*F.*"),
                "qemu-aarch64 not registered in binfmt_misc with flag F (fix-binary)");
        started.add("arm64");
        Path b = Bundles.write(tmp.resolve("arm64"), driver, "arm64", List.of("uname", "-m"), false, Bundles.flags());
        Bundles.Running r = Bundles.start(driver.runCommand(b, "arm64"), tmp);
        assertThat(r.await()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("aarch64\n");
    }

    static String shellQuote(List<String> argv) {
        StringBuilder b = new StringBuilder();
        for (String a : argv) b.append(b.length() == 0 ? "" : " ").append('\'').append(a.replace("'", "'\\''")).append('\'');
        return b.toString();
    }

    private void awaitRunning(String id) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                if (driver.state(id).status().equals("running")) return;
            } catch (AndockException notYet) {
                // not created yet
            }
            if (System.nanoTime() > deadline) throw new AssertionError("not running: " + id);
            Bundles.sleep(20);
        }
    }
}
