package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logging drivers through the real docker CLI (issue 10, class 6): json-file and local rotation with
 * {@code --log-opt max-size/max-file}, {@code docker logs} across the rotated files, {@code none}, refusals, and
 * {@code HostConfig.LogConfig} in inspect.
 */
class DockerCliLogDriversTest {
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
    void jsonFile_maxSizeAndMaxFile_rotate_andLogsReadAcrossTheFiles() throws Exception {
        var run = f.run("run", "-d", "--name", "rot", "--log-opt", "max-size=1k", "--log-opt", "max-file=3", bb,
                "sh", "-c", "i=1; while [ $i -le 300 ]; do echo line $i; i=$((i+1)); done");
        assertThat(run.code()).as(run.all()).isZero();
        assertThat(f.run("wait", "rot").out().trim()).isEqualTo("0");
        assertThat(f.run("inspect", "-f", "{{json .HostConfig.LogConfig}}", "rot").out().trim())
                .isEqualTo("{\"Type\":\"json-file\",\"Config\":{\"max-file\":\"3\",\"max-size\":\"1k\"}}");
        Path log = Path.of(f.run("inspect", "-f", "{{.LogPath}}", "rot").out().trim());
        for (String name : List.of("", ".1", ".2")) {
            Path p = log.resolveSibling(log.getFileName() + name);
            assertThat(Files.size(p)).as(p.toString()).isBetween(1L, 1000L);
        }
        assertThat(log.resolveSibling(log.getFileName() + ".3")).doesNotExist();
        List<String> lines = f.run("logs", "rot").out().lines().toList();
        assertThat(lines.size()).isGreaterThan(60);
        for (int i = 0; i < lines.size(); i++) assertThat(lines.get(i)).isEqualTo("line " + (300 - lines.size() + 1 + i));
        assertThat(f.run("logs", "--tail", "2", "rot").out()).isEqualTo("line 299\nline 300\n");
        f.run("rm", "-f", "rot");
    }

    @Test
    void none_keepsNoLogs_andLogsAnswersAsDockerd() throws Exception {
        var run = f.run("run", "--name", "quiet", "--log-driver", "none", bb, "echo", "attached output still shown");
        assertThat(run.code()).as(run.all()).isZero();
        assertThat(run.out()).isEqualTo("attached output still shown\n");
        var logs = f.run("logs", "quiet");
        assertThat(logs.code()).isNotZero();
        assertThat(logs.err()).contains("configured logging driver does not support reading");
        assertThat(f.run("inspect", "-f", "{{.HostConfig.LogConfig.Type}}", "quiet").out().trim()).isEqualTo("none");
        f.run("rm", "-f", "quiet");
    }

    @Test
    void local_isKept_andUnknownDriversAndOptionsAreRefused() throws Exception {
        assertThat(f.run("run", "--name", "loc", "--log-driver", "local", bb, "echo", "kept").code()).isZero();
        assertThat(f.run("logs", "loc").out()).isEqualTo("kept\n");
        assertThat(f.run("inspect", "-f", "{{.HostConfig.LogConfig.Type}}", "loc").out().trim()).isEqualTo("local");
        f.run("rm", "-f", "loc");
        var plugin = f.run("create", "--log-driver", "nosuch", bb);
        assertThat(plugin.code()).isNotZero();
        assertThat(plugin.err()).contains("error looking up logging plugin nosuch");
        var opt = f.run("create", "--log-opt", "colour=blue", bb);
        assertThat(opt.code()).isNotZero();
        assertThat(opt.err()).contains("unknown log opt 'colour' for json-file log driver");
        var files = f.run("create", "--log-opt", "max-size=1m", "--log-opt", "max-file=0", bb);
        assertThat(files.code()).isNotZero();
        assertThat(files.err()).contains("max-file cannot be less than 1");
        // a container made without any says json-file, as dockerd's default, and info says it is the default
        assertThat(f.run("info", "-f", "{{.LoggingDriver}}").out().trim()).isEqualTo("json-file");
        assertThat(f.run("create", "--name", "dflt", bb).code()).isZero();
        assertThat(f.run("inspect", "-f", "{{json .HostConfig.LogConfig}}", "dflt").out().trim())
                .isEqualTo("{\"Type\":\"json-file\",\"Config\":{}}");
        f.run("rm", "-f", "dflt");
    }
}
