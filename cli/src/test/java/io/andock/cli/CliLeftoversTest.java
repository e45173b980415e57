package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** What a killed andock left half-made is removed at the next start: RUN processes, build scratch, overlays. */
@Tag("registry")
class CliLeftoversTest {
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
    }

    @ParameterizedTest
    @CsvSource({"oci,KILL", "proot,KILL", "chroot,KILL", "oci,TERM", "proot,TERM"})
    void build_killedDuringRun_leavesNoProcessAndNoScratch(String driver, String signal) throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", registry.host() + "/busybox:latest");
        String seconds = Integer.toString(50000 + (int) (Math.random() * 9999));
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + registry.host() + "/busybox:latest\nRUN sleep " + seconds + "\n");
        List<String> cmd = new ArrayList<>(Andock.javaCommand());
        cmd.addAll(List.of("--root", andock.root().toString(), "--driver", driver, "build", "-t", "killed:1", ctx.toString()));
        Process build = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            for (int i = 0; i < 300 && sleeping(seconds).isEmpty(); i++) Thread.sleep(100);
            assertThat(sleeping(seconds)).as("the RUN step runs").isNotEmpty();
            if (signal.equals("KILL")) build.destroyForcibly(); else build.destroy();
            build.waitFor();
            andock.ok("ps", "-a"); // the next andock command
            for (int i = 0; i < 50 && !sleeping(seconds).isEmpty(); i++) Thread.sleep(100);
            assertThat(sleeping(seconds)).as("the RUN process died with its build").isEmpty();
            assertThat(entries(andock.root().resolve("build-work"))).isEmpty();
        } finally {
            build.destroyForcibly();
            for (long pid : sleeping(seconds)) new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
        }
    }

    @Test
    void halfCreatedContainer_withItsOverlayMounted_isUnmountedAndRemovedAtTheNextStart() throws Exception {
        assumeThat(System.getProperty("user.name")).isEqualTo("root");
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", registry.host() + "/busybox:latest");
        Path snapshot;
        try (Stream<Path> s = Files.list(andock.root().resolve("snapshots"))) {
            snapshot = s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).findFirst().orElseThrow().resolve("rootfs");
        }
        long before = count(snapshot);
        // the state a create killed after its mount leaves: .new-<id> with the overlay mounted, its owner gone
        Path half = Files.createDirectories(andock.root().resolve("containers").resolve(".new-" + "ab".repeat(32)));
        for (String d : List.of("rootfs", "upper", "work")) Files.createDirectories(half.resolve(d));
        Files.writeString(half.resolve("owner"), "999999999.1");
        Files.writeString(half.resolve("name"), "half");
        Cmd.Result mount = Cmd.exec(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + snapshot + ",upperdir="
                + half.resolve("upper") + ",workdir=" + half.resolve("work"), half.resolve("rootfs").toString()));
        assertThat(mount.exitCode()).as(mount.stderr()).isZero();
        try {
            andock.ok("ps", "-a");
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(half.toString());
            assertThat(half).doesNotExist();
            assertThat(count(snapshot)).as("the snapshot below is intact").isEqualTo(before);
            assertThat(snapshot.resolve("bin/busybox")).exists();
            assertThat(andock.ok("run", "--rm", "--name", "half", registry.host() + "/busybox:latest", "echo", "ok")).isEqualTo("ok\n");
        } finally {
            Cmd.exec(List.of("umount", "-l", half.resolve("rootfs").toString()));
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.count();
        }
    }

    static List<Long> sleeping(String seconds) throws IOException {
        return CliContainersTest.running("sleep " + seconds);
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
