package io.andock.task;

import io.andock.container.ContainerSpec;
import io.andock.container.TestImages;
import io.andock.driver.ChrootDriver;
import io.andock.driver.Drivers;
import io.andock.driver.ProotDriver;
import io.andock.os.HostTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Container logs: streams, per-line times, since/until, tail, follow, partial lines, bytes, raw logs of before. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerLogsTest {
    static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z ";
    ContainerService svc;

    @BeforeAll
    void setUp(@TempDir Path tmp) {
        assumeTrue(HostTools.find("proot") != null, "proot is not installed");
        svc = new ContainerService(tmp.resolve("andock"), TestImages.shared(), new Drivers("proot", new ProotDriver(), new ChrootDriver()));
    }

    private String detached(String... cmd) {
        String id = svc.create(ContainerSpec.builder("busybox").cmd(cmd).build());
        svc.start(id);
        assertThat(svc.waitFor(id)).isZero();
        return id;
    }

    private String[] logs(String id, LogOptions o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        svc.logs(id, o, out, err);
        return new String[]{out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1)};
    }

    @Test
    void detached_stdoutAndStderrAreSeparate_andTimestampsAreDockers() {
        Instant before = Instant.now().minusSeconds(1);
        String id = detached("sh", "-c", "echo out1; echo err1 >&2; echo out2");
        assertThat(logs(id, new LogOptions(false, -1, false))).containsExactly("out1\nout2\n", "err1\n");
        assertThat(logs(id, new LogOptions(false, -1, false, null, null, false, true))).containsExactly("", "err1\n");
        String[] t = logs(id, new LogOptions(false, -1, true));
        assertThat(t[0]).matches("(" + STAMP + "out\\d\n){2}");
        assertThat(t[1]).matches(STAMP + "err1\n");
        Instant at = Instant.parse(t[1].substring(0, 30));
        assertThat(at).isBetween(before, Instant.now().plusSeconds(1));
    }

    @Test
    void sinceAndUntil_selectByLineTime() {
        String id = detached("sh", "-c", "echo early; sleep 1.5; echo late >&2");
        String[] t = logs(id, new LogOptions(false, -1, true));
        Instant early = Instant.parse(t[0].substring(0, 30)), late = Instant.parse(t[1].substring(0, 30));
        assertThat(Duration.between(early, late).toMillis()).isBetween(1000L, 5000L);
        Instant mid = early.plusMillis(700);
        assertThat(logs(id, new LogOptions(false, -1, false, mid, null, true, true))).containsExactly("", "late\n");
        assertThat(logs(id, new LogOptions(false, -1, false, null, mid, true, true))).containsExactly("early\n", "");
        assertThat(logs(id, new LogOptions(false, -1, false, LogOptions.parseTime("1m", Instant.now()), null, true, true)))
                .containsExactly("early\n", "late\n");
    }

    @Test
    void tail_countsLinesOfBothStreams() {
        String id = detached("sh", "-c", "seq 1 5; echo e >&2");
        assertThat(logs(id, new LogOptions(false, 2, false))).containsExactly("5\n", "e\n");
        assertThat(logs(id, new LogOptions(false, 0, false))).containsExactly("", "");
        assertThat(logs(id, new LogOptions(false, 100, false))).containsExactly("1\n2\n3\n4\n5\n", "e\n");
    }

    @Test
    void follow_printsNewLinesUntilTheContainerStops() {
        String id = svc.create(ContainerSpec.builder("busybox").cmd("sh", "-c", "echo one; sleep 1; echo two >&2; sleep 0.5; echo three").build());
        svc.start(id);
        assertThat(logs(id, new LogOptions(true, -1, false))).containsExactly("one\nthree\n", "two\n");
    }

    @Test
    void binaryBytes_passUnchanged() {
        // (NUL is the exception in detached logs: mawk -W interactive ends a line there; andock-log.sh says so)
        String id = detached("sh", "-c", "printf 'a\\001b\\377\\r\\n\\033[1m\\n'");
        assertThat(logs(id, new LogOptions(false, -1, false))[0]).isEqualTo("a\001b\377\r\n\033[1m\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String att = svc.create(ContainerSpec.builder("busybox").cmd("sh", "-c", "printf 'x\\000y\\n'").build());
        svc.startAttached(att, Attach.streams(null, out, new ByteArrayOutputStream()));
        assertThat(logs(att, new LogOptions(false, -1, false))[0]).isEqualTo("x\0y\n");
    }

    @Test
    void tty_partialLineReachesFollowersAtOnce() throws Exception {
        String id = svc.create(ContainerSpec.builder("busybox").tty(true).cmd("sh", "-c", "printf 'prompt> '; sleep 4; echo done").build());
        svc.start(id);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Void> f = CompletableFuture.runAsync(() -> svc.logs(id, new LogOptions(true, -1, false), out, out));
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!out.toString(StandardCharsets.UTF_8).contains("prompt> ") && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("prompt> ");
        f.get(20, TimeUnit.SECONDS);
        assertThat(out.toString(StandardCharsets.UTF_8).replace("\r", "")).isEqualTo("prompt> done\n");
        assertThat(logs(id, new LogOptions(false, -1, true))[0]).matches(STAMP + "prompt> (" + STAMP + ")?done\r?\n");
    }

    @Test
    void attached_writesTheSameRecords_partialsIncluded() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        String id = svc.create(ContainerSpec.builder("busybox").cmd("sh", "-c", "echo a; echo b >&2; printf c").build());
        assertThat(svc.startAttached(id, Attach.streams(null, out, err))).isZero();
        assertThat(logs(id, new LogOptions(false, -1, false))).containsExactly("a\nc", "b\n");
        assertThat(logs(id, new LogOptions(false, -1, true))[0]).matches(STAMP + "a\n" + STAMP + "c");
    }

    @Test
    void rawLogOfBefore_isReadAsStdout_datedByItsMtime_andKeptWhenStartedAgain() throws Exception {
        String id = svc.create(ContainerSpec.builder("busybox").cmd("echo", "new").build());
        Path log = svc.root().resolve("containers").resolve(id).resolve("container.log");
        Files.write(log, "old 1\nold 2\n".getBytes(StandardCharsets.UTF_8));
        Instant mtime = Instant.parse("2025-01-02T03:04:05Z");
        Files.setLastModifiedTime(log, FileTime.from(mtime));
        assertThat(logs(id, new LogOptions(false, 1, false))).containsExactly("old 2\n", "");
        assertThat(logs(id, new LogOptions(false, -1, true))[0])
                .isEqualTo("2025-01-02T03:04:05.000000000Z old 1\n2025-01-02T03:04:05.000000000Z old 2\n");
        svc.start(id);
        assertThat(svc.waitFor(id)).isZero();
        String[] t = logs(id, new LogOptions(false, -1, true));
        assertThat(t[0]).startsWith("2025-01-02T03:04:05.000000000Z old 1\n2025-01-02T03:04:05.000000000Z old 2\n").endsWith(" new\n");
        assertThat(logs(id, new LogOptions(false, -1, false, mtime.plusSeconds(1), null, true, true))).containsExactly("new\n", "");
    }

    @Test
    void parseTime_takesWhatTheDockerCliSends() {
        Instant now = Instant.parse("2026-11-28T13:00:00Z");
        assertThat(LogOptions.parseTime("1732790000.000000000", now)).isEqualTo(Instant.ofEpochSecond(1732790000));
        assertThat(LogOptions.parseTime("1732790000.5", now)).isEqualTo(Instant.ofEpochSecond(1732790000, 500_000_000));
        assertThat(LogOptions.parseTime("2026-11-28T13:01:02.123456789Z", now)).isEqualTo(Instant.parse("2026-11-28T13:01:02.123456789Z"));
        assertThat(LogOptions.parseTime("2026-11-28T14:01:02+01:00", now)).isEqualTo(Instant.parse("2026-11-28T13:01:02Z"));
        assertThat(LogOptions.parseTime("1h30m", now)).isEqualTo(Instant.parse("2026-11-28T11:30:00Z"));
        assertThat(LogOptions.parseTime("10m", now)).isEqualTo(Instant.parse("2026-11-28T12:50:00Z"));
        assertThat(LogOptions.parseTime("0", now)).isNull();
        assertThat(LogOptions.parseTime("", now)).isNull();
    }
}
