package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Names and ids given on the command line never reach outside the store, and a private store (0710, trees 0700)
 * still runs containers as another user with every driver.
 */
@Tag("registry")
class CliHostileNamesTest {
    static TestRegistry registry;
    static final List<String> HOSTILE = List.of("../../x", "..", ".", "a/b", "/abs/x", "../../x/" + "a".repeat(56),
            "x\nNAME", "a".repeat(300), "-");

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
    }

    private Path sentinel() throws Exception {
        Path x = Files.createDirectories(tmp.resolve("x"));
        Files.createDirectories(x.resolve("_data"));
        Path fake = Files.createDirectories(x.resolve("a".repeat(56)));
        Files.writeString(fake.resolve("config.json"), "{}");
        return x;
    }

    @Test
    void volumeCommands_hostileNames_areNoSuchVolume_andTouchNothingOutside() throws Exception {
        Path x = sentinel();
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("volume", "create", "keep");
        for (String n : HOSTILE) {
            if (n.startsWith("-")) continue; // an option to picocli
            for (String cmd : List.of("rm", "inspect")) {
                Cmd.Result r = andock.run("volume", cmd, n);
                assertThat(r.exitCode()).as(cmd + " " + n).isNotZero();
                assertThat(r.stderr()).as(cmd + " " + n).contains("no such volume").doesNotContain("\nNAME");
            }
            Cmd.Result c = andock.run("volume", "create", n);
            assertThat(c.exitCode()).as("create " + n).isEqualTo(125);
            assertThat(c.stderr()).as("create " + n).containsAnyOf("invalid characters", "too short");
            Cmd.Result run = andock.run("run", "--rm", "-v", "a/b:/data", registry.host() + "/busybox:latest", "true");
            assertThat(run.stderr()).contains("invalid characters");
        }
        assertThat(x.resolve("_data")).isDirectory();
        assertThat(x.resolve("a".repeat(56)).resolve("config.json")).isRegularFile();
        assertThat(andock.ok("volume", "ls", "-q").strip()).isEqualTo("keep");
    }

    @Test
    void containerCommands_hostileRefs_areNoSuchContainer() throws Exception {
        Path x = sentinel();
        Andock andock = new Andock(tmp.resolve("root"));
        String image = registry.host() + "/busybox:latest";
        andock.ok("pull", "-q", image);
        for (String n : HOSTILE) {
            if (n.startsWith("-")) continue;
            for (List<String> cmd : List.of(List.of("inspect"), List.of("rm", "-f"), List.of("start"),
                    List.of("logs"), List.of("stop"), List.of("kill"))) {
                List<String> argv = new java.util.ArrayList<>(cmd);
                argv.add(n);
                Cmd.Result r = andock.run(argv.toArray(String[]::new));
                assertThat(r.exitCode()).as(argv.toString()).isNotZero();
                assertThat(r.stderr()).as(argv.toString()).containsIgnoringCase("no such").doesNotContain("\nNAME");
            }
            Cmd.Result create = andock.run("create", "--name", n, image, "true");
            assertThat(create.exitCode()).as("create --name " + n).isEqualTo(125);
            assertThat(create.stderr()).as("create --name " + n).contains("Invalid container name");
        }
        assertThat(andock.ok("ps", "-a", "-q")).isBlank();
        assertThat(x.resolve("a".repeat(56)).resolve("config.json")).isRegularFile();
        assertThat(tmp.resolve("root/containers/.locks")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(Files.list(p).toList()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void privateStore_runsContainersAsAnotherUser(String driver) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.setAttribute(root, "unix:mode", 0755); // as an older andock left it
        Andock andock = new Andock(root);
        String image = registry.host() + "/busybox:latest";
        Cmd.Result r = andock.run("--driver", driver, "run", "--rm", "-u", "1000:1000", "-v", "vol1:/data", image,
                "sh", "-c", "id -u; ls -d /data; cat /etc/hostname >/dev/null && echo ok");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("1000\n/data\nok\n");
        assertThat(Integer.toOctalString((Integer) Files.getAttribute(root, "unix:mode") & 07777)).isEqualTo("710");
        for (String t : List.of("containers", "snapshots", "volumes", "content")) {
            assertThat(Integer.toOctalString((Integer) Files.getAttribute(root.resolve(t), "unix:mode") & 07777)).as(t).isEqualTo("700");
        }
        andock.ok("--driver", driver, "run", "-d", "--name", "bg", "-u", "1000:1000", image, "sleep", "100");
        assertThat(andock.ok("exec", "bg", "id", "-u").strip()).isEqualTo("1000");
        assertThat(andock.ok("exec", "-u", "1000:1000", "bg", "sh", "-c", "echo hi >/tmp/f && cat /tmp/f").strip()).isEqualTo("hi");
        andock.ok("rm", "-f", "bg");
    }
}
