package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A container holds its image: rmi refuses or only untags, prune and gc keep it, as Docker does. */
@Tag("registry")
class CliImageInUseTest {
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
    void rmi_ofARunningContainersImage_isRefused_andForceOnlyUntags(String driver) throws IOException {
        Andock andock = new Andock(tmp.resolve("root"));
        String ref = registry.host() + "/busybox:latest";
        andock.ok("pull", "-q", ref);
        String id = andock.ok("inspect", "--format", "{{.Id}}", ref).strip();
        String cid = andock.ok("--driver", driver, "run", "-d", "--name", "box", ref, "sleep", "1000").strip();

        Cmd.Result refused = andock.run("rmi", ref);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("conflict: unable to remove repository reference \"" + ref
                + "\" (must force) - container " + cid.substring(0, 12) + " is using its referenced image " + id.substring(7, 19));
        Cmd.Result byId = andock.run("rmi", "-f", id.substring(7, 19));
        assertThat(byId.exitCode()).isEqualTo(1);
        assertThat(byId.stderr()).contains("conflict: unable to delete " + id.substring(7, 19)
                + " (cannot be forced) - image is being used by running container " + cid.substring(0, 12));

        String untagged = andock.ok("rmi", "-f", ref);
        assertThat(untagged).contains("Untagged: " + ref).doesNotContain("Deleted");
        assertThat(andock.ok("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}")).contains("<none>:<none> " + id.substring(7, 19));
        assertThat(andock.ok("inspect", "--format", "{{.Id}}", id).strip()).isEqualTo(id);

        andock.ok("image", "prune", "-a", "-f");
        andock.ok("image", "prune", "-f");
        assertThat(andock.ok("exec", "box", "cat", "/etc/passwd")).contains("root:");
        andock.ok("stop", "-t", "1", "box");
        Cmd.Result stopped = andock.run("rmi", id);
        assertThat(stopped.stderr()).contains("conflict: unable to delete " + id.substring(7, 19)
                + " (must be forced) - image is being used by stopped container " + cid.substring(0, 12));
        andock.ok("image", "prune", "-a", "-f");
        andock.ok("start", "box");
        assertThat(andock.ok("exec", "box", "ls", "/bin/sh")).contains("/bin/sh");

        andock.ok("rm", "-f", "box");
        assertThat(andock.ok("image", "prune", "-f")).contains("Deleted: " + id);
        assertThat(entries(andock.root().resolve("snapshots"))).isEmpty();
        assertThat(entries(andock.root().resolve("content/blobs/sha256"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void rmi_byIdOfAStoppedContainersImage_force_keepsTheContainerStartable(String driver) {
        Andock andock = new Andock(tmp.resolve("root"));
        String ref = registry.host() + "/busybox:latest";
        andock.ok("pull", "-q", ref);
        andock.ok("tag", ref, "second:1");
        String id = andock.ok("inspect", "--format", "{{.Id}}", ref).strip();
        andock.ok("--driver", driver, "create", "--name", "box", ref, "sh", "-c", "cat /etc/passwd");

        Cmd.Result multiple = andock.run("rmi", id);
        assertThat(multiple.exitCode()).isEqualTo(1);
        assertThat(multiple.stderr()).contains("conflict: unable to delete " + id.substring(7, 19)
                + " (must be forced) - image is referenced in multiple repositories");
        assertThat(andock.ok("rmi", "second:1")).contains("Untagged: second:1"); // another name remains: no conflict

        String forced = andock.ok("rmi", "-f", id);
        assertThat(forced).contains("Untagged: " + ref).contains("Deleted: " + id);
        andock.ok("image", "prune", "-a", "-f");
        assertThat(andock.ok("start", "-a", "box")).contains("root:");
    }

    /**
     * A {@code run --rm} container is gone when the run returns, though its monitor unmounts and deletes it just
     * after: an rmi at once deletes the image wholly, never only untags it as one in use.
     */
    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void rmi_rightAfterRunRm_deletesTheImage(String driver) throws IOException {
        Andock andock = new Andock(tmp.resolve("root"));
        String ref = registry.host() + "/busybox:latest";
        for (int i = 0; i < 3; i++) {
            andock.ok("pull", "-q", ref);
            String id = andock.ok("inspect", "--format", "{{.Id}}", ref).strip();
            andock.ok("--driver", driver, "run", "--rm", ref, "true");
            assertThat(andock.ok("ps", "-a", "-q")).isEmpty();
            assertThat(andock.ok("rmi", ref)).contains("Untagged: " + ref).contains("Deleted: " + id);
            assertThat(entries(andock.root().resolve("snapshots"))).isEmpty();
        }
    }

    private static java.util.List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return java.util.List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
