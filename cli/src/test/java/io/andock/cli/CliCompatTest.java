package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** top, diff, export, commit, history, rename, update, system df and container prune in the CLI, with each driver. */
@Tag("registry")
class CliCompatTest {
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void containerAsAWhole_topDiffExportCommitHistory(String driver) throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        String bb = registry.host() + "/busybox:latest";
        andock.ok("pull", "-q", bb);
        andock.ok("--driver", driver, "run", "-d", "--name", "box", bb, "sleep", "300");
        andock.ok("exec", "box", "sh", "-c", "echo added > /tmp/added; rm /etc/group");

        String top = andock.ok("top", "box");
        assertThat(top.lines().findFirst().orElse("")).startsWith("UID").contains("PID").contains("CMD");
        assertThat(top).contains("sleep 300").doesNotContain("java");

        assertThat(andock.ok("diff", "box").lines().toList()).containsExactly("C /etc", "D /etc/group", "C /tmp", "A /tmp/added");

        Path tar = tmp.resolve("box.tar");
        andock.ok("export", "-o", tar.toString(), "box");
        Cmd.Result list = Cmd.exec(List.of("tar", "-tf", tar.toString()), java.util.Map.of(), java.time.Duration.ofMinutes(1));
        assertThat(list.stdout().lines().toList()).contains("tmp/added", "bin/busybox").doesNotContain("etc/group");

        String id = andock.ok("commit", "-c", "CMD [\"cat\", \"/tmp/added\"]", "-m", "snap", "box", "snap:1").trim();
        assertThat(id).startsWith("sha256:");
        assertThat(andock.ok("--driver", driver, "run", "--rm", "snap:1")).isEqualTo("added\n");
        List<String> history = andock.ok("history", "--format", "{{.ID}}|{{.Comment}}", "snap:1").lines().toList();
        assertThat(history.get(0)).isEqualTo(id.substring(7, 19) + "|snap");
        assertThat(history.subList(1, history.size())).allMatch(l -> l.startsWith("<missing>|"));
        assertThat(andock.ok("image", "history", "-q", "snap:1").lines().count()).isEqualTo(history.size());

        andock.ok("rename", "box", "box2");
        assertThat(andock.ok("ps", "--format", "{{.Names}}")).isEqualTo("box2\n");
        andock.ok("rm", "-f", "box2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot"})
    void update_systemDf_andContainerPrune(String driver) {
        Andock andock = new Andock(tmp.resolve("root"));
        String bb = registry.host() + "/busybox:latest";
        andock.ok("pull", "-q", bb);
        andock.ok("--driver", driver, "create", "--name", "upd", bb, "true");
        Cmd.Result update = andock.run("update", "--restart", "on-failure:2", "--pids-limit", "40", "upd");
        assertThat(update.exitCode()).as(update.stderr()).isZero();
        assertThat(update.stdout()).isEqualTo("upd\n");
        if (driver.equals("proot")) assertThat(update.stderr()).contains("not enforced");
        assertThat(andock.ok("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.PidsLimit}}", "upd").trim())
                .isEqualTo("on-failure 40");
        assertThat(andock.run("update", "--restart", "sometimes", "upd").exitCode()).isNotZero();

        andock.ok("--driver", driver, "run", "--name", "writer", bb, "sh", "-c", "head -c 200000 /dev/zero > /big");
        String df = andock.ok("system", "df");
        assertThat(df.lines().findFirst().orElse("")).matches("TYPE\\s+TOTAL\\s+ACTIVE\\s+SIZE\\s+RECLAIMABLE");
        assertThat(df).containsPattern("Containers\\s+2\\s+0\\s+20\\d(\\.\\d+)?kB");
        String prune = andock.ok("container", "prune", "-f");
        assertThat(prune).containsPattern("Total reclaimed space: 20\\d(\\.\\d+)?kB");
    }
}
