package io.andock.os;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.andock.testkit.Cmd;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each shell script andock keeps as a resource, run by itself with sh as its class runs it: the usage its header
 * states, and the edge its class relies on.
 */
@Tag("unit")
class ShellScriptsTest {
    private static final Duration T = Duration.ofSeconds(30);

    private static ShellScript script(String path) {
        return ShellScript.load(ShellScript.class, path);
    }

    private static CommandRunner.Result run(List<String> argv) {
        return CommandRunner.system().run(argv, T);
    }

    @Test
    void everyScript_hasAUsageHeader_leftOutOfItsCode() throws IOException {
        for (String p : List.of("/io/andock/task/stdin-fifo.sh", "/io/andock/task/pty-child.sh", "/io/andock/os/kill-quietly.sh",
                "/io/andock/driver/proot-wrapper.sh", "/io/andock/driver/proot-watching-wrapper.sh")) {
            String file = new String(ShellScript.class.getResourceAsStream(p).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(file).as(p).startsWith("#!/bin/sh\n").contains("\n# usage: ");
            assertThat(script(p).code()).as(p).doesNotStartWith("#").isNotBlank();
        }
    }

    @Test
    void withoutHeader_keepsCommentsAfterTheCodeBegins() {
        assertThat(ShellScript.withoutHeader("#!/bin/sh\n# usage: x\n\necho a\n# later\necho b\n")).isEqualTo("echo a\n# later\necho b");
    }

    @Nested
    class StdinFifo {
        private final ShellScript s = script("/io/andock/task/stdin-fifo.sh");

        @Test
        void makesTheFifo_andTheCommandReadsWhatAnyWriterSends(@TempDir Path dir) throws Exception {
            Path fifo = dir.resolve("stdin");
            Process p = new ProcessBuilder(s.argv(fifo.toString(), List.of("sh", "-c", "read a; read b; echo \"$a+$b\"")))
                    .redirectErrorStream(true).start();
            for (int i = 0; i < 500 && !Files.exists(fifo); i++) Thread.sleep(10);
            assertThat(Files.isRegularFile(fifo)).isFalse();
            assertThat(Files.getAttribute(fifo, "unix:mode")).isEqualTo(0010600); // a fifo, mode 600
            for (String line : List.of("one\n", "two\n")) { // two writers one after the other: no EOF in between
                try (OutputStream out = Files.newOutputStream(fifo, StandardOpenOption.WRITE)) {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one+two\n");
        }

        @Test
        void anExistingFifoIsUsed_andTheCommandsStatusIsTheScripts(@TempDir Path dir) {
            Path fifo = dir.resolve("stdin");
            assertThat(run(List.of("mkfifo", fifo.toString())).ok()).isTrue();
            assertThat(run(s.argv(fifo.toString(), List.of("sh", "-c", "exit 7"))).exitCode()).isEqualTo(7);
        }
    }

    @Nested
    class PtyChild {
        private final ShellScript s = script("/io/andock/task/pty-child.sh");

        @Test
        void recordsTheTtyName_setsTheSize_thenRunsTheCommand(@TempDir Path dir) throws IOException {
            assumeThat(HostTools.find("script")).as("util-linux script").isNotNull();
            Path ttyFile = dir.resolve("tty");
            List<String> child = s.argv("andock-pty", List.of(ttyFile.toString(), "33", "101", "0", "stty", "size"));
            CommandRunner.Result r = run(List.of("script", "-qefc", quote(child), "/dev/null"));
            assertThat(r.ok()).as(r.describe()).isTrue();
            assertThat(r.stdout()).contains("33 101");
            assertThat(Files.readString(ttyFile)).startsWith("/dev/pts/");
        }

        @Test
        void withoutATerminal_stillRunsTheCommand(@TempDir Path dir) {
            CommandRunner.Result r = run(s.argv("andock-pty", List.of(dir.resolve("tty").toString(), "0", "0", "1", "sh", "-c", "exit 5")));
            assertThat(r.exitCode()).isEqualTo(5);
        }
    }

    @Nested
    class KillQuietly {
        private final ShellScript s = script("/io/andock/os/kill-quietly.sh");

        @Test
        void signalsEveryPid_andSucceedsForVanishedOnes() throws Exception {
            Process a = new ProcessBuilder("sleep", "60").start();
            Process b = new ProcessBuilder("sleep", "60").start();
            CommandRunner.Result r = run(s.argv("kill", List.of("15", Long.toString(a.pid()), "999999999", Long.toString(b.pid()))));
            assertThat(r.ok()).isTrue();
            assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(b.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(a.exitValue()).isEqualTo(128 + 15);
        }

        @Test
        void processTable_signal_usesIt() throws Exception {
            Process a = new ProcessBuilder("sleep", "60").start();
            ProcessTable.signal(9, List.of(a.pid(), 999999999L));
            assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(a.exitValue()).isEqualTo(128 + 9);
        }
    }

    @Nested
    class ProotWrappers {
        private final List<ShellScript> both = List.of(script("/io/andock/driver/proot-wrapper.sh"),
                script("/io/andock/driver/proot-watching-wrapper.sh"));

        @Test
        void theCommandsStatusPassesThrough(@TempDir Path bundle) {
            for (ShellScript s : both) assertThat(run(s.argv(bundle.toString(), List.of("sh", "-c", "exit 3"))).exitCode()).as(s.toString()).isEqualTo(3);
        }

        @Test
        void status255_withARecordedSignal_becomes128PlusIt(@TempDir Path bundle) throws IOException {
            for (ShellScript s : both) {
                assertThat(run(s.argv(bundle.toString(), List.of("sh", "-c", "exit 255"))).exitCode()).as(s.toString()).isEqualTo(255);
                Files.writeString(bundle.resolve("signal"), "9");
                assertThat(run(s.argv(bundle.toString(), List.of("sh", "-c", "exit 255"))).exitCode()).as(s.toString()).isEqualTo(137);
                Files.delete(bundle.resolve("signal"));
            }
        }

        @Test
        void stdinReachesTheCommand(@TempDir Path bundle) throws Exception {
            for (ShellScript s : both) {
                Process p = new ProcessBuilder(s.argv(bundle.toString(), List.of("sh", "-c", "read a; echo \"got $a\""))).start();
                try (OutputStream in = p.getOutputStream()) {
                    in.write("x\n".getBytes(StandardCharsets.UTF_8));
                }
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).as(s.toString()).isEqualTo("got x\n");
            }
        }

        @Test
        void watching_endsWithTheFirstProcess_underARealProot(@TempDir Path bundle) {
            String proot = HostTools.find("proot");
            assumeThat(proot).as("proot").isNotNull();
            ShellScript s = both.get(1);
            // the background sleep outlives the first process; the container ends with the first one's status
            long t0 = System.nanoTime();
            CommandRunner.Result r = run(s.argv(bundle.toString(), List.of(proot, "-r", "/", "sh", "-c", "sleep 20 & exit 2")));
            assertThat(r.exitCode()).as(r.describe()).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Nested
    class HealthLoop {
        private Path script() throws IOException {
            Path p = Files.createTempFile("andock-health", ".sh");
            try (var in = ShellScript.class.getResourceAsStream("/io/andock/task/andock-health.sh")) {
                Files.write(p, in.readAllBytes());
            }
            return p;
        }

        private String state(Path h) throws IOException {
            return Files.exists(h.resolve("state")) ? Files.readString(h.resolve("state")).trim() : "";
        }

        private boolean await(Path h, String want) throws Exception {
            for (int i = 0; i < 200 && !state(h).equals(want); i++) Thread.sleep(50);
            return state(h).equals(want);
        }

        @Test
        void failuresInARow_makeItUnhealthy_aSuccessHealthy_theNewestFiveKept_andTermEndsIt(@TempDir Path dir) throws Exception {
            Path script = script();
            Path h = Files.createDirectories(dir.resolve("health"));
            Files.writeString(h.resolve("config"), "50 2000 0 2 2s\n");
            Process loop = new ProcessBuilder("sh", script.toString(), dir.toString(), "-", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            try {
                assertThat(await(h, "starting 0")).isTrue(); // no probe yet: nothing is run
                Files.writeString(h.resolve("probe"), "echo failing; exit 3\n");
                assertThat(await(h, "unhealthy 2")).as(state(h)).isTrue();
                Files.writeString(h.resolve("probe"), "echo fine\n");
                assertThat(await(h, "healthy 0")).as(state(h)).isTrue();
                Thread.sleep(600);
                try (Stream<Path> rs = Files.list(h)) {
                    List<String> results = rs.map(p -> p.getFileName().toString()).filter(n -> n.matches("r\\.\\d+")).toList();
                    assertThat(results).hasSizeBetween(1, 5);
                }
            } finally {
                loop.destroy(); // TERM
                assertThat(loop.waitFor(5, TimeUnit.SECONDS)).isTrue();
                Files.delete(script);
            }
        }

        @Test
        void aCheckPastItsTimeout_isKilled_andSaysSoAsDocker(@TempDir Path dir) throws Exception {
            Path script = script();
            Path h = Files.createDirectories(dir.resolve("health"));
            Files.writeString(h.resolve("config"), "50 200 0 1 200ms\n");
            Files.writeString(h.resolve("probe"), "exec sleep 30\n");
            Process loop = new ProcessBuilder("sh", script.toString(), dir.toString(), "-", Long.toString(ProcessHandle.current().pid())).start();
            try {
                assertThat(await(h, "unhealthy 1")).as(state(h)).isTrue();
                String r1 = Files.readString(h.resolve("r.1"));
                assertThat(r1).matches("(?s)\\d+ \\d+ -1\nHealth check exceeded timeout \\(200ms\\)");
            } finally {
                loop.destroy();
                assertThat(loop.waitFor(5, TimeUnit.SECONDS)).isTrue();
                Files.delete(script);
            }
        }

        @Test
        void aFailureWithinTheStartPeriod_doesNotCount(@TempDir Path dir) throws Exception {
            Path script = script();
            Path h = Files.createDirectories(dir.resolve("health"));
            Files.writeString(h.resolve("config"), "50 2000 600000 1 2s\n");
            Files.writeString(h.resolve("probe"), "exit 1\n");
            Process loop = new ProcessBuilder("sh", script.toString(), dir.toString(), "-", Long.toString(ProcessHandle.current().pid())).start();
            try {
                for (int i = 0; i < 100 && !Files.exists(h.resolve("r.3")); i++) Thread.sleep(50);
                assertThat(h.resolve("r.3")).exists();
                assertThat(state(h)).isEqualTo("starting 0");
            } finally {
                loop.destroy();
                assertThat(loop.waitFor(5, TimeUnit.SECONDS)).isTrue();
                Files.delete(script);
            }
        }
    }

    @Nested
    class MonitorLogWriters {
        private Path install(Path bin, String name) throws IOException {
            Path p = bin.resolve(name);
            try (var in = ShellScript.class.getResourceAsStream("/io/andock/task/" + name)) {
                Files.write(p, in.readAllBytes());
            }
            return p;
        }

        /**
         * The exit is published only once both streams' writers have written what the container wrote, also when a
         * writer is slow to start: a writer still a shell (here: its `awk -W version` takes 0.6 s, as a loaded CPU
         * can make it) is starting, not blocked on a pipe that a left-behind process holds. Before, three looks at
         * its sleeping shell took it for blocked and the exit came before the last lines.
         */
        @Test
        void theExitWaitsForWritersSlowToStart(@TempDir Path dir) throws Exception {
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Path monitor = install(bin, "andock-monitor.sh");
            install(bin, "andock-log.sh");
            Path slow = Files.createDirectories(dir.resolve("slow-awk"));
            String awk = CommandRunner.system().run(List.of("sh", "-c", "command -v awk"), T).stdout().trim();
            assumeThat(awk).as("awk on PATH").isNotEmpty();
            Path fake = slow.resolve("awk");
            Files.writeString(fake, "#!/bin/sh\n[ \"$1 $2\" = '-W version' ] && sleep 0.6\nexec " + awk + " \"$@\"\n");
            Files.setAttribute(fake, "unix:mode", 0755);
            Path c = Files.createDirectories(dir.resolve("c"));
            Path log = c.resolve("container.log");
            ProcessBuilder pb = new ProcessBuilder("sh", monitor.toString(), c.toString(), "--log", "-", "--",
                    "sh", "-c", "seq 1 5; echo e >&2").redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("PATH", slow + ":" + System.getenv("PATH"));
            Process m = pb.start();
            assertThat(m.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(c.resolve("exit")).exists();
            String records = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertThat(records).contains(" 1F 1\n5\n").contains(" 2F 1\ne\n");
        }
    }

    @Nested
    class MonitorRemoval {
        private Path monitor(Path dir) throws IOException {
            Path p = Files.createDirectories(dir.resolve("bin")).resolve("andock-monitor.sh");
            try (var in = ShellScript.class.getResourceAsStream("/io/andock/task/andock-monitor.sh")) {
                Files.write(p, in.readAllBytes());
            }
            return p;
        }

        /** The pid file holds the container process's own pid (the one that wrote it, then exec'd the command). */
        @Test
        void recordsTheCommandsOwnPid_andItsStatus(@TempDir Path dir) throws Exception {
            Path c = Files.createDirectories(dir.resolve("containers/c1"));
            CommandRunner.Result r = run(List.of("sh", monitor(dir).toString(), c.toString(), "--", "sh", "-c",
                    "echo $$ >\"$0\"; exit 3", c.resolve("own-pid").toString()));
            assertThat(r.exitCode()).as(r.describe()).isEqualTo(3);
            assertThat(Files.readString(c.resolve("pid")).trim()).isEqualTo(Files.readString(c.resolve("own-pid")).trim());
            assertThat(Files.readString(c.resolve("exit"))).startsWith("3 ");
        }

        /**
         * --remove: the directory goes, renamed before the monitor exits (gone from listings), deleted just after;
         * its exit status kept as a tombstone; anonymous volumes (--remove-path) gone before the monitor exits.
         */
        @Test
        void removes_andLeavesTheTombstone(@TempDir Path dir) throws Exception {
            Path containers = Files.createDirectories(dir.resolve("containers"));
            Path c1 = Files.createDirectories(containers.resolve("c1"));
            Files.writeString(c1.resolve("f"), "x");
            Path volume = Files.createDirectories(dir.resolve("volumes/anon/_data"));
            assertThat(run(List.of("sh", monitor(dir).toString(), c1.toString(), "--remove", "--remove-path",
                    volume.getParent().toString(), "--", "true")).exitCode()).isZero();
            assertThat(c1).doesNotExist();
            assertThat(volume.getParent()).doesNotExist();
            assertThat(Files.readString(containers.resolve(".exited/c1"))).startsWith("0 ");
            awaitGone(containers.resolve(".trash-c1"));
        }

        /**
         * With --umount: the overlay is unmounted before the monitor exits (a delete of the root right after, as a
         * test's temp dir, meets plain files), the files deleted after.
         */
        @Test
        void removes_aMountedRootfs_unmountedBeforeItExits(@TempDir Path dir) throws Exception {
            assumeTrue(HostTools.isRoot() && Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n"),
                    "needs root and overlay: skipped");
            Path lower = Files.createDirectories(dir.resolve("lower"));
            Files.writeString(lower.resolve("kept"), "image");
            Path containers = Files.createDirectories(dir.resolve("containers"));
            Path c1 = Files.createDirectories(containers.resolve("c1"));
            Path rootfs = Files.createDirectories(c1.resolve("rootfs"));
            Files.createDirectories(c1.resolve("upper"));
            Files.createDirectories(c1.resolve("work"));
            Cmd.run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower + ",upperdir=" + c1.resolve("upper")
                    + ",workdir=" + c1.resolve("work"), rootfs.toString());
            try {
                assertThat(run(List.of("sh", monitor(dir).toString(), c1.toString(), "--umount", rootfs.toString(),
                        "--remove", "--", "true")).exitCode()).isZero();
                assertThat(c1).doesNotExist();
                assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(containers.toRealPath().toString());
                awaitGone(containers.resolve(".trash-c1"));
                assertThat(Files.readString(lower.resolve("kept"))).isEqualTo("image");
            } finally {
                Cmd.exec("sh", "-c", "grep -q \" $0/\" /proc/self/mountinfo && umount -l \"$0\"/.trash-c1/rootfs",
                        containers.toRealPath().toString());
            }
        }

        private static void awaitGone(Path p) throws InterruptedException {
            for (int i = 0; i < 3000 && Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) Thread.sleep(10);
            assertThat(p).as("deleted after the monitor exited").doesNotExist();
        }
    }

    /** Single-quoted words for sh (as io.andock.task.Pty quotes for script -c). */
    private static String quote(List<String> words) {
        List<String> q = new ArrayList<>();
        for (String w : words) q.add("'" + w.replace("'", "'\\''") + "'");
        return String.join(" ", q);
    }
}
