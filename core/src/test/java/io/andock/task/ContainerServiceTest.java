package io.andock.task;

import io.andock.container.ContainerSpec;
import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.container.ContainerView;
import io.andock.container.ExecFailure;
import io.andock.container.ListOptions;
import io.andock.container.TestImages;
import io.andock.driver.ChrootDriver;
import io.andock.driver.Drivers;
import io.andock.driver.ProotDriver;
import io.andock.os.HostTools;
import io.andock.os.ProcessTable;
import io.andock.os.Signals;
import io.andock.AndockException;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Service behaviour beyond the driver contract, with the proot driver (works with and without root). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerServiceTest {
    Path root;
    ContainerService svc;
    TestImages images;

    @BeforeAll
    void setUp(@TempDir Path tmp) {
        assumeTrue(HostTools.find("proot") != null, "proot is not installed");
        images = TestImages.shared();
        root = tmp.resolve("andock");
        svc = new ContainerService(root, images, new Drivers("proot", new ProotDriver(), new ChrootDriver()));
    }

    private int run(ContainerSpec.Builder b, ByteArrayOutputStream out) {
        return svc.run(b.autoRemove(true).build(), Attach.streams(null, out, new ByteArrayOutputStream()));
    }

    @Test
    void nameInUse_isDockersConflict() {
        String id = svc.create(ContainerSpec.builder("busybox").name("dup").cmd("true").build());
        assertThatThrownBy(() -> svc.create(ContainerSpec.builder("busybox").name("dup").cmd("true").build()))
                .isInstanceOf(AndockException.class)
                .hasMessage("Conflict. The container name \"/dup\" is already in use by container \"" + id
                        + "\". You have to remove (or rename) that container to be able to reuse that name.");
        assertThat(svc.get("dup").state().status()).isEqualTo("created");
        assertThat(svc.get(id.substring(0, 8)).id()).isEqualTo(id);
        svc.remove("/dup", false, true);
        assertThatThrownBy(() -> svc.get("dup")).hasMessage("No such container: dup");
    }

    /** A create killed half-way ({@code kill -9} of {@code run --name N}) leaves {@code .new-ID}: its name is free again. */
    @Test
    void halfMadeContainerOfADeadProcess_doesNotHoldItsName_butOneOfALiveProcessDoes() throws Exception {
        Path containers = root.resolve("containers");
        Files.createDirectories(containers);
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String deadOwner = dead.pid() + "." + ProcessTable.startTime(dead.pid());
        List<Path> made = new ArrayList<>();
        // "half-deleted": a sweep removing a killed one got as far as its owner file (a mount kept the rest)
        for (String[] c : List.of(new String[] {"killed", deadOwner}, new String[] {"half-deleted", null},
                new String[] {"alive", io.andock.os.Owner.self()})) {
            Path half = containers.resolve(".new-" + ContainerStore.newId());
            Files.createDirectories(half);
            made.add(half);
            if (c[1] != null) Files.writeString(new io.andock.container.ContainerDir(half).owner(), c[1]);
            Files.writeString(new io.andock.container.ContainerDir(half).pendingName(), c[0]);
        }
        for (String free : List.of("killed", "half-deleted")) {
            String id = svc.create(ContainerSpec.builder("busybox").name(free).cmd("true").build());
            assertThat(svc.get(free).id()).isEqualTo(id);
            svc.remove(id, true, false);
        }
        assertThatThrownBy(() -> svc.create(ContainerSpec.builder("busybox").name("alive").cmd("true").build()))
                .hasMessageContaining("The container name \"/alive\" is already in use");
        for (Path p : made) io.andock.os.FileTrees.removeTree(p);
    }

    @Test
    void attachedStdin_reachesTheProcessChunkByChunk_beforeEof() throws Exception {
        java.io.PipedOutputStream keys = new java.io.PipedOutputStream();
        java.io.PipedInputStream stdin = new java.io.PipedInputStream(keys);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Integer> code = pool.submit(() -> svc.run(ContainerSpec.builder("busybox").openStdin(true).autoRemove(true)
                .cmd("sh", "-c", "read line; echo got $line; read rest; echo bye $rest").build(),
                Attach.streams(stdin, out, new ByteArrayOutputStream())));
        keys.write("first\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!out.toString(StandardCharsets.UTF_8).contains("got first") && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("got first\n"); // stdin is still open
        keys.write("second\n".getBytes(StandardCharsets.UTF_8));
        keys.close();
        assertThat(code.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("got first\nbye second\n");
        pool.shutdown();
    }

    @Test
    void autoRemoved_exitCodeSurvives_forWaitFor_untilTheTombstoneIsSwept() throws Exception {
        String slow = svc.runDetached(ContainerSpec.builder("busybox").autoRemove(true).cmd("sh", "-c", "sleep 0.3; exit 42").build());
        assertThat(svc.waitFor(slow)).isEqualTo(42); // waiting while it runs; the directory goes right after
        String fast = svc.runDetached(ContainerSpec.builder("busybox").autoRemove(true).cmd("sh", "-c", "exit 7").build());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(root.resolve("containers").resolve(fast)) && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(root.resolve("containers").resolve(fast)).doesNotExist();
        assertThat(svc.waitFor(fast)).isEqualTo(7); // gone before the wait began
        assertThatThrownBy(() -> svc.get(fast)).hasMessage("No such container: " + fast);

        Path tombstone = root.resolve("containers/.exited").resolve(fast);
        new ContainerStore(root).sweep();
        assertThat(tombstone).as("not yet old enough").exists();
        // ten minutes later, for this tombstone and for the time the sweeps noted to look again
        Files.setLastModifiedTime(tombstone, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - ContainerStore.TOMBSTONE_MILLIS - 1000));
        Files.setLastModifiedTime(root.resolve("containers/.exited").resolve(ContainerStore.NEXT_TOMBSTONE_SWEEP),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 1000));
        new ContainerStore(root).sweep();
        assertThat(tombstone).doesNotExist();
        assertThat(root.resolve("containers/.exited").resolve(slow)).exists();
        assertThatThrownBy(() -> svc.waitFor(fast)).hasMessage("No such container: " + fast);
    }

    @Test
    void fiftyConcurrentRunRm_allSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(pool.submit(() -> run(ContainerSpec.builder("busybox").label("batch", "fifty").cmd("true"),
                    new ByteArrayOutputStream())));
        }
        for (Future<Integer> f : fs) assertThat(f.get()).isZero();
        pool.shutdown();
        assertThat(svc.list(new ListOptions(true, List.of("label=batch")))).isEmpty();
        // each renamed before its run returned, deleted by its monitor just after
        for (int i = 0; i < 3000 && trashLeft() > 0; i++) Thread.sleep(10); // (up to 30 s: fifty unmounts under load)
        assertThat(trashLeft()).isZero();
    }

    private long trashLeft() throws java.io.IOException {
        try (var ds = Files.list(root.resolve("containers"))) {
            return ds.filter(p -> p.getFileName().toString().startsWith(".trash")).count();
        }
    }

    @Test
    void ps_isRightAfterTheMonitorDied_andAfterAReboot() throws Exception {
        String id = svc.runDetached(ContainerSpec.builder("busybox").name("victim").cmd("sleep", "100").build());
        ContainerState s = svc.get(id).state();
        assertThat(svc.get(id).statusText(Instant.now())).startsWith("Up ");
        Cmd.exec("kill", "-9", Long.toString(s.monitorPid())); // the monitor dies first: no exit status recorded
        List<Long> tree = new ArrayList<>(ProcessTable.descendants(s.pid()));
        tree.add(s.pid());
        ProcessTable.signal(Signals.KILL, tree);
        // a SIGKILL is delivered, not done, when kill(2) returns: wait for the processes to be gone (or zombies)
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (tree.stream().anyMatch(ProcessTable::alive) && System.nanoTime() < deadline) Thread.sleep(5);
        ContainerState after = svc.get(id).state();
        assertThat(after.status()).isEqualTo("exited");
        assertThat(after.exitCode()).isEqualTo(255);
        assertThat(after.error()).contains("monitor");
        // a "running" record from another boot is exited too
        svc.start(id);
        ContainerState again = svc.get(id).state();
        Path state = root.resolve("containers").resolve(id).resolve("state.json");
        svc.stop(id, 0);
        ContainerStore.write(state, new ContainerState("running", again.pid(), again.monitorPid(), again.monitorStart(),
                "another-boot", 0, again.startedAt(), ContainerState.ZERO_TIME, ""));
        Files.deleteIfExists(root.resolve("containers").resolve(id).resolve("exit"));
        assertThat(svc.get(id).state().status()).isEqualTo("exited");
        assertThat(svc.list(ListOptions.RUNNING)).noneMatch(v -> v.id().equals(id));
        svc.remove(id, false, true);
    }

    @Test
    void psFilters_inspect_andLogsTail() {
        String id = svc.runDetached(ContainerSpec.builder("busybox:configured").name("web1").label("tier", "front")
                .publish("18081:18081").cmd(List.of("-p", "127.0.0.1:18081", "-h", "/www")).build());
        String other = svc.create(ContainerSpec.builder("busybox").name("other").cmd("sh", "-c", "seq 1 20").build());
        svc.start(other);
        assertThat(svc.waitFor(other)).isZero();
        assertThat(names(new ListOptions(false, List.of()))).contains("web1").doesNotContain("other");
        assertThat(names(new ListOptions(true, List.of("status=exited")))).contains("other").doesNotContain("web1");
        assertThat(names(new ListOptions(true, List.of("label=tier=front")))).containsExactly("web1");
        assertThat(names(new ListOptions(true, List.of("name=oth")))).containsExactly("other");
        assertThat(names(new ListOptions(true, List.of("id=" + id.substring(0, 5))))).containsExactly("web1");
        assertThat(svc.get(other).statusText(Instant.now())).matches("Exited \\(0\\) .* ago");
        assertThat(svc.get(id).portsText()).isEqualTo("0.0.0.0:18081->18081/tcp");

        Map<String, Object> in = svc.inspect("web1");
        assertThat(in.get("Name")).isEqualTo("/web1");
        @SuppressWarnings("unchecked") Map<String, Object> st = (Map<String, Object>) in.get("State");
        assertThat(st.get("Status")).isEqualTo("running");
        assertThat(st.get("Running")).isEqualTo(true);
        @SuppressWarnings("unchecked") Map<String, Object> cfg = (Map<String, Object>) in.get("Config");
        assertThat(cfg.get("User")).isEqualTo("1000:1000");
        assertThat(cfg.get("StopSignal")).isEqualTo("SIGINT");
        assertThat(cfg.get("Entrypoint")).isEqualTo(List.of("httpd", "-f", "-v"));
        assertThat(io.andock.json.Json.write(in.get("NetworkSettings"))).contains("\"8080/tcp\":null", "\"HostPort\":\"18081\"");
        assertThat(io.andock.json.Json.write(in.get("Mounts"))).contains("\"Destination\":\"/data\"", "\"Type\":\"volume\"");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        svc.logs(other, new LogOptions(true, 3, false), out, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("18\n19\n20\n");
        out.reset();
        svc.logs(other, new LogOptions(false, 1, true), out, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]{18}Z 20\n");
        assertThat(svc.prune()).contains(other).doesNotContain(id);
        svc.remove(id, true, true);
    }

    @Test
    void osContainer_changesPersistAcrossStopAndStart() throws InterruptedException {
        String id = svc.runDetached(ContainerSpec.builder("busybox").name("os").cmd("sh", "-c",
                "echo booted >> /var/boots; exec sleep 1000").build());
        try {
            awaitBoots(id, "booted\n");
            svc.stop(id, 1);
            svc.start(id);
            assertThat(awaitBoots(id, "booted\nbooted\n")).isEqualTo("booted\nbooted\n");
        } finally {
            svc.remove(id, true, true);
        }
    }

    /** /var/boots of a running container, once it reads {@code want} (or after 5 s, whatever it holds). */
    private String awaitBoots(String id, String want) throws InterruptedException {
        String got = "";
        for (int i = 0; i < 50 && !got.equals(want); i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            svc.exec(id, new ExecSpec(List.of("sh", "-c", "cat /var/boots 2>/dev/null; true"), List.of(), null, null, false, false),
                    Attach.streams(null, out, out));
            got = out.toString(StandardCharsets.UTF_8);
            if (!got.equals(want)) Thread.sleep(100);
        }
        return got;
    }

    @Test
    void exec_userWorkdirEnv_andNotRunningRefusal() {
        String id = svc.runDetached(ContainerSpec.builder("busybox").cmd("sleep", "1000").build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = svc.exec(id, new ExecSpec(List.of("sh", "-c", "echo $(id -u) $(pwd) $X"), List.of("X=y"), "1000", "/tmp",
                false, false), Attach.streams(null, out, out));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("1000 /tmp y\n");
        // dockerd's exit code for an exec that cannot start, a missing command too (a run's is 127)
        assertThatThrownBy(() -> svc.exec(id, new ExecSpec(List.of("nope"), List.of(), null, null, false, false),
                Attach.streams(null, out, out))).satisfies(e -> assertThat(ExecFailure.exitCode(e)).isEqualTo(126));
        svc.stop(id, 0);
        assertThatThrownBy(() -> svc.exec(id, new ExecSpec(List.of("true"), List.of(), null, null, false, false),
                Attach.streams(null, out, out))).hasMessage("container " + id + " is not running");
        assertThatThrownBy(() -> svc.kill(id, "HUP")).hasMessageContaining("is not running");
        svc.remove(id, false, true);
    }

    @Test
    void stdin_isPassedWithOpenStdin() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = svc.run(ContainerSpec.builder("busybox").cmd("tr", "a-z", "A-Z").openStdin(true).autoRemove(true).build(),
                Attach.streams(new java.io.ByteArrayInputStream("hello\n".getBytes()), out, new ByteArrayOutputStream()));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("HELLO\n");
    }

    @Test
    void badInput_isRefusedClearly() {
        assertThatThrownBy(() -> svc.create(ContainerSpec.builder("busybox").publish("8080:80").cmd("true").build()))
                .hasMessageContaining("port forwarding is not implemented");
        assertThatThrownBy(() -> svc.create(ContainerSpec.builder("busybox").networkMode("none").cmd("true").build()))
                .hasMessageContaining("--network none is not possible");
        assertThatThrownBy(() -> svc.create(ContainerSpec.builder("nosuchimage").cmd("true").build()))
                .hasMessageContaining("No such image");
        assertThat(svc.list(ListOptions.ALL)).noneMatch(v -> v.record().spec().cmd().equals(List.of("true"))
                && v.state().status().equals("created") && v.record().spec().image().equals("nosuchimage"));
    }

    @Test
    void volumes_createListRemoveInUse() {
        String id = svc.create(ContainerSpec.builder("busybox").volume("keep:/data").cmd("true").build());
        assertThat(svc.volumes().list()).contains("keep");
        assertThatThrownBy(() -> svc.volumes().remove("keep", false)).hasMessageContaining("volume is in use - [" + id + "]");
        svc.remove(id, false, true);
        assertThat(svc.volumes().list()).contains("keep"); // -v removes anonymous volumes only
        svc.volumes().remove("keep", false);
        assertThat(svc.volumes().list()).doesNotContain("keep");
    }

    @Test
    void init_runsTiniAsTheParent() {
        assumeTrue(HostTools.find("tini-static") != null, "no tini-static");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(ContainerSpec.builder("busybox").init(true).cmd("sh", "-c", "tr '\\0' ' ' < /proc/$PPID/cmdline"), out)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("/sbin/docker-init -- sh");
    }

    @Test
    void arm64Image_runsUnderQemu() {
        assumeTrue(HostTools.find("qemu-aarch64-static") != null, "no qemu-user-static");
        assumeTrue(!Platform64.isArm(), "host is arm64 already");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(run(ContainerSpec.builder("busybox").platform("linux/arm64").cmd("uname", "-m"), out)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("aarch64\n");
    }

    private List<String> names(ListOptions o) {
        return svc.list(o).stream().map(ContainerView::name).toList();
    }

    static final class Platform64 {
        static boolean isArm() {
            return io.andock.image.Platform.host().architecture().equals("arm64");
        }
    }
}
