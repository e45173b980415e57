package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --log-driver}/{@code --log-opt} and config.json's {@code log-driver}/{@code log-opts} in the CLI. */
@Tag("registry")
class CliLogDriversTest {
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
    }

    @Test
    void rotation_none_andTheConfiguredDefault() throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        String bb = registry.host() + "/busybox:latest";
        andock.ok("pull", "-q", bb);
        andock.ok("--driver", "proot", "run", "-d", "--name", "rot", "--log-opt", "max-size=1k", "--log-opt", "max-file=2", bb,
                "sh", "-c", "i=1; while [ $i -le 200 ]; do echo line $i; i=$((i+1)); done");
        assertThat(andock.ok("wait", "rot").trim()).isEqualTo("0");
        List<String> lines = andock.ok("logs", "rot").lines().toList();
        assertThat(lines.size()).isBetween(30, 199);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("line 200");
        assertThat(lines.get(0)).isEqualTo("line " + (201 - lines.size()));
        assertThat(andock.ok("inspect", "-f", "{{json .HostConfig.LogConfig}}", "rot").trim())
                .isEqualTo("{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"1k\",\"max-file\":\"2\"}}");

        assertThat(andock.ok("--driver", "proot", "run", "--name", "quiet", "--log-driver", "none", bb, "echo", "hi")).isEqualTo("hi\n");
        Cmd.Result logs = andock.run("logs", "quiet");
        assertThat(logs.exitCode()).isEqualTo(125);
        assertThat(logs.stderr()).contains("configured logging driver does not support reading");

        Cmd.Result bad = andock.run("create", "--log-driver", "syslogx", bb);
        assertThat(bad.exitCode()).isEqualTo(125);
        assertThat(bad.stderr()).contains("error looking up logging plugin syslogx");

        Path config = tmp.resolve("root").resolve("config").resolve("andock").resolve("config.json");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "{\"log-driver\": \"local\", \"log-opts\": {\"max-size\": \"2k\"}}");
        andock.ok("--driver", "proot", "create", "--name", "dflt", bb, "true");
        assertThat(andock.ok("inspect", "-f", "{{json .HostConfig.LogConfig}}", "dflt").trim())
                .isEqualTo("{\"Type\":\"local\",\"Config\":{\"max-size\":\"2k\"}}");
        andock.ok("rm", "-f", "rot", "quiet", "dflt");
    }
}
