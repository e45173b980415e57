package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.EscapingTars;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code andock cp}: Docker's copy rules, and nothing written or read outside the container, with each driver. */
@Tag("registry")
class CliCopyTest {
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.AfterEach
    void removeContainer() {
        if (Files.isDirectory(tmp.resolve("root"))) new Andock(tmp.resolve("root")).run("rm", "-f", "box");
    }

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
    }

    private Andock trapped(String driver) throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("--driver", driver, "run", "-d", "--name", "box", registry.host() + "/busybox:latest", "sh", "-c",
                "ln -s / /x; ln -s ../../../.. /y; ln -s /etc/passwd /link; mkdir /d; touch /ready; sleep 1000");
        for (int i = 0; i < 100 && andock.run("exec", "box", "test", "-e", "/ready").exitCode() != 0; i++) Thread.sleep(100);
        return andock;
    }

    private static String marker() {
        return "andock-cp-" + UUID.randomUUID();
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void cp_in_throughSymlinks_staysInTheContainer(String driver) throws Exception {
        Andock andock = trapped(driver);
        Path f = Files.writeString(tmp.resolve("f"), "contained\n");
        for (String via : List.of("/x/tmp/", "/y/tmp/", "/../../../tmp/", "../../tmp/")) {
            String m = marker();
            andock.ok("cp", f.toString(), "box:" + via + m);
            assertThat(Path.of("/tmp", m)).as(via).doesNotExist();
            assertThat(andock.ok("exec", "box", "cat", "/tmp/" + m)).isEqualTo("contained\n");
        }
        String passwd = Files.readString(Path.of("/etc/passwd"));
        andock.ok("cp", f.toString(), "box:/link");
        assertThat(Files.readString(Path.of("/etc/passwd"))).isEqualTo(passwd);
        assertThat(andock.ok("exec", "box", "cat", "/etc/passwd")).isEqualTo("contained\n");

        Path dir = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(dir.resolve("index.html"), "hi\n");
        andock.ok("cp", dir.toString(), "box:/d");                 // an existing directory: the source goes into it
        assertThat(andock.ok("exec", "box", "cat", "/d/site/index.html")).isEqualTo("hi\n");
        andock.ok("cp", dir + "/.", "box:/x/srv");                  // a new name: the directory is created with it
        assertThat(andock.ok("exec", "box", "cat", "/srv/index.html")).isEqualTo("hi\n");
        assertThat(Path.of("/srv/index.html")).doesNotExist();
        Cmd.Result dirOnFile = andock.run("cp", dir.toString(), "box:/etc/passwd");
        assertThat(dirOnFile.exitCode()).isNotZero();
        assertThat(dirOnFile.stderr()).contains("cannot copy a directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void cp_stdinTar_hostileEntriesRefusedOrContained(String driver) throws Exception {
        Andock andock = trapped(driver);
        for (String variant : EscapingTars.VARIANTS) {
            String m = marker();
            Path tar = tmp.resolve(m + ".tar");
            Files.write(tar, EscapingTars.make(variant, m));
            List<String> cmd = new ArrayList<>(List.of("sh", "-c", "\"$@\" < " + tar, "sh"));
            cmd.addAll(Andock.javaCommand());
            cmd.addAll(List.of("--root", andock.root().toString(), "cp", "-", "box:/d"));
            Cmd.Result r = Cmd.exec(cmd);
            assertThat(Path.of("/tmp", m)).as(variant).doesNotExist();
            assertThat(Path.of("/", m)).as(variant).doesNotExist();
            switch (variant) {
                case "dotdot", "hardlink-out" -> {
                    assertThat(r.exitCode()).as(variant + ": " + r.stderr()).isNotZero();
                    assertThat(r.stderr().strip().lines().count()).as("one line: " + r.stderr()).isEqualTo(1);
                }
                case "absolute" -> assertThat(andock.ok("exec", "box", "cat", "/d/tmp/" + m)).isEqualTo("pwned\n");
                case "symlink-then-file" -> assertThat(andock.ok("exec", "box", "cat", "/tmp/" + m)).isEqualTo("pwned\n");
                default -> throw new AssertionError(variant);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void cp_out_throughSymlinks_readsTheContainersFiles(String driver) throws Exception {
        Andock andock = trapped(driver);
        andock.ok("exec", "box", "sh", "-c", "echo container-hostname > /etc/hostname; mkdir -p /data/sub; echo z > /data/sub/z");
        for (String via : List.of("/x/etc/hostname", "/y/etc/hostname", "../../etc/hostname")) {
            Path out = tmp.resolve(marker());
            andock.ok("cp", "box:" + via, out.toString());
            assertThat(Files.readString(out)).as(via).isEqualTo("container-hostname\n");
        }
        Path link = tmp.resolve("l");
        andock.ok("cp", "box:/link", link.toString());
        assertThat(Files.readSymbolicLink(link).toString()).isEqualTo("/etc/passwd");
        Path followed = tmp.resolve("p");
        andock.ok("cp", "-L", "box:/link", followed.toString());
        assertThat(Files.readString(followed)).isEqualTo(andock.ok("exec", "box", "cat", "/etc/passwd"));
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        andock.ok("cp", "box:/x/data", dest.toString());
        assertThat(Files.readString(dest.resolve("data/sub/z"))).isEqualTo("z\n");
        Cmd.Result missing = andock.run("cp", "box:/nonexistent", dest.toString());
        assertThat(missing.exitCode()).isEqualTo(125);
        assertThat(missing.stderr()).contains("Could not find the file /nonexistent in container box");
    }
}
