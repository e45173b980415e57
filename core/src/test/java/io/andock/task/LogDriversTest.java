package io.andock.task;

import io.andock.AndockException;
import io.andock.container.ContainerSpec;
import io.andock.container.LogConfig;
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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Logging drivers: json-file and local rotate by size into a bounded number of files, written by the monitor's
 * shell writers (no JVM) or by the attached run's writer, and {@code logs} reads across the files in order (also
 * following through rotations); {@code none} keeps nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogDriversTest {
    ContainerService svc;

    @BeforeAll
    void setUp(@TempDir Path tmp) {
        assumeTrue(HostTools.find("proot") != null, "proot is not installed");
        svc = new ContainerService(tmp.resolve("andock"), TestImages.shared(), new Drivers("proot", new ProotDriver(), new ChrootDriver()));
    }

    private String create(LogConfig log, String script) {
        return svc.create(ContainerSpec.builder("busybox").logConfig(log).cmd("sh", "-c", script).build());
    }

    private String[] logs(String id, LogOptions o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        svc.logs(id, o, out, err);
        return new String[]{out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private Path dir(String id) {
        return svc.root().resolve("containers").resolve(id);
    }

    /** The log's files, their sizes checked against the limit. */
    private List<String> files(String id, long maxSize) throws Exception {
        List<String> names = new ArrayList<>();
        try (var s = Files.list(dir(id))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("container.log")).sorted().toList()) {
                names.add(p.getFileName().toString());
                assertThat(Files.size(p)).as(p.toString()).isLessThanOrEqualTo(maxSize);
            }
        }
        return names;
    }

    /** Consecutive numbers ending with {@code last}: the order kept across the files. */
    private static void assertConsecutiveUpTo(String text, int last) {
        String[] lines = text.split("\n");
        assertThat(lines.length).isGreaterThan(1);
        for (int i = 0; i < lines.length; i++) assertThat(lines[i]).isEqualTo("line " + (last - lines.length + 1 + i));
    }

    @Test
    void jsonFile_detached_rotatesBySize_keepsMaxFiles_andLogsReadThemInOrder() throws Exception {
        String id = create(LogConfig.parse("json-file", List.of("max-size=1k", "max-file=3")),
                "i=1; while [ $i -le 300 ]; do echo line $i; echo err $i >&2; i=$((i+1)); done");
        svc.start(id);
        assertThat(svc.waitFor(id)).isZero();
        assertThat(files(id, 1000)).containsExactly("container.log", "container.log.1", "container.log.2");
        String[] all = logs(id, new LogOptions(false, -1, false));
        assertConsecutiveUpTo(all[0], 300);
        assertThat(all[1]).endsWith("err 300\n");
        assertThat(logs(id, new LogOptions(false, 3, false))).containsExactly("line 300\n", "err 299\nerr 300\n");
        // more lines asked for than the newest file holds: the tail reaches into the rotated ones
        String[] tail = logs(id, new LogOptions(false, 80, false));
        assertConsecutiveUpTo(tail[0], 300);
        assertThat(tail[0].split("\n").length + tail[1].split("\n").length).isEqualTo(80);
    }

    @Test
    void follow_readsOnAcrossRotations() {
        String id = create(LogConfig.parse("json-file", List.of("max-size=300", "max-file=20")),
                "i=1; while [ $i -le 60 ]; do echo line $i; i=$((i+1)); [ $((i % 10)) = 0 ] && sleep 0.2; done");
        svc.start(id);
        String out = logs(id, new LogOptions(true, -1, false))[0];
        assertConsecutiveUpTo(out, 60);
        assertThat(out).startsWith("line 1\n");
    }

    @Test
    void local_rotatesByDefault_andAttachedRunsRotateToo() throws Exception {
        LogConfig local = LogConfig.parse("local", List.of());
        assertThat(local.maxSize()).isEqualTo(20L << 20);
        assertThat(local.maxFiles()).isEqualTo(5);
        String id = create(LogConfig.parse("local", List.of("max-size=1k", "max-file=2")),
                "i=1; while [ $i -le 100 ]; do echo line $i; i=$((i+1)); done");
        assertThat(svc.startAttached(id, Attach.streams(null, new ByteArrayOutputStream(), new ByteArrayOutputStream()))).isZero();
        assertThat(files(id, 1024)).containsExactly("container.log", "container.log.1");
        assertConsecutiveUpTo(logs(id, new LogOptions(false, -1, false))[0], 100);
        // started again: the log goes on (and on rotating) from where it was
        svc.start(id);
        assertThat(svc.waitFor(id)).isZero();
        assertThat(files(id, 1024)).containsExactly("container.log", "container.log.1");
        assertThat(logs(id, new LogOptions(false, 1, false))[0]).isEqualTo("line 100\n");
    }

    @Test
    void tty_chunkWriterRotatesToo() throws Exception {
        assumeTrue(Pty.available(), "no pty here");
        String id = svc.create(ContainerSpec.builder("busybox").tty(true)
                .logConfig(LogConfig.parse("json-file", List.of("max-size=500", "max-file=4")))
                .cmd("sh", "-c", "i=1; while [ $i -le 40 ]; do echo line $i; i=$((i+1)); sleep 0.01; done").build());
        svc.start(id);
        assertThat(svc.waitFor(id)).isZero();
        assertThat(files(id, 500)).contains("container.log", "container.log.1").hasSizeLessThanOrEqualTo(4);
        assertThat(logs(id, new LogOptions(false, -1, false))[0].replace("\r", "")).endsWith("line 39\nline 40\n");
    }

    @Test
    void none_keepsNothing_andLogsSaySo() throws Exception {
        String id = create(LogConfig.parse("none", List.of()), "echo secret; echo also >&2");
        svc.start(id);
        assertThat(svc.waitFor(id)).isZero();
        Path log = dir(id).resolve("container.log");
        assertThat(!Files.exists(log) || Files.size(log) == 0).isTrue();
        assertThatThrownBy(() -> logs(id, new LogOptions(false, -1, false)))
                .isInstanceOf(AndockException.class).hasMessage("configured logging driver does not support reading");
        // attached: the caller still sees the output, as with Docker
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String att = create(LogConfig.parse("none", List.of()), "echo shown");
        assertThat(svc.startAttached(att, Attach.streams(null, out, new ByteArrayOutputStream()))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("shown\n");
    }

    @Test
    void logConfig_isCheckedAsDockerdChecksIt() {
        assertThat(LogConfig.parse(null, List.of()).type()).isEqualTo("json-file");
        assertThat(LogConfig.parse("json-file", List.of("max-size=10m")).maxSize()).isEqualTo(10_000_000);
        assertThat(LogConfig.parse("json-file", List.of("max-size=1KiB")).maxSize()).isEqualTo(1024);
        assertThat(LogConfig.parse("json-file", List.of("max-size=2m", "max-file=3")).maxFiles()).isEqualTo(3);
        assertThatThrownBy(() -> LogConfig.parse("json-file", List.of("max-file=0")))
                .hasMessage("max-file cannot be less than 1");
        assertThatThrownBy(() -> LogConfig.parse("json-file", List.of("max-size=-1")))
                .hasMessageContaining("invalid size");
        assertThatThrownBy(() -> LogConfig.parse("json-file", List.of("bogus=1")))
                .hasMessage("unknown log opt 'bogus' for json-file log driver");
        assertThatThrownBy(() -> LogConfig.parse("local", List.of("tag=x")))
                .hasMessage("unknown log opt 'tag' for local log driver");
        assertThatThrownBy(() -> LogConfig.parse("nope", List.of()))
                .hasMessage("error looking up logging plugin nope: plugin \"nope\" not found");
        assertThatThrownBy(() -> LogConfig.parse("json-file", List.of("max-size")))
                .hasMessageContaining("invalid key-value pair");
    }
}
