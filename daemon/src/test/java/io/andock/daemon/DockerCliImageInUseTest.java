package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The real docker CLI removing and pruning an image a container uses: 409 conflicts, -f only untags. */
class DockerCliImageInUseTest {
    static DaemonFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void rmi_ofAContainersImage_conflicts409_forceUntagsOnly_pruneKeepsIt() throws Exception {
        String bb = f.image("busybox");
        assertThat(f.run("pull", "-q", bb).code()).isZero();
        String id = f.run("image", "inspect", "--format", "{{.Id}}", bb).out().strip();
        String cid = f.run("run", "-d", "--name", "inuse", bb, "sleep", "1000").out().strip();
        assertThat(f.run("images", "--format", "{{.Containers}}", bb).out().strip()).isEqualTo("1");

        var refused = f.run("rmi", bb);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("Error response from daemon: conflict: unable to remove repository reference \""
                + bb + "\" (must force) - container " + cid.substring(0, 12) + " is using its referenced image " + id.substring(7, 19));
        assertThat(curlDelete(bb)).isEqualTo("409");
        assertThat(f.run("rmi", "-f", id).err()).contains("(cannot be forced) - image is being used by running container");

        var untagged = f.run("rmi", "-f", bb);
        assertThat(untagged.code()).as(untagged.all()).isZero();
        assertThat(untagged.out()).contains("Untagged: " + bb).doesNotContain("Deleted");
        assertThat(f.run("image", "inspect", "--format", "{{.Id}}", id).out().strip()).isEqualTo(id);
        assertThat(f.run("inspect", "--format", "{{.Image}}", "inuse").out().strip()).isEqualTo(id);
        assertThat(f.run("image", "prune", "-af").code()).isZero();
        assertThat(f.run("image", "inspect", id).code()).isZero();

        assertThat(f.run("stop", "-t", "1", "inuse").code()).isZero();
        assertThat(f.run("start", "inuse").code()).isZero();
        var exec = f.run("exec", "inuse", "cat", "/etc/passwd");
        assertThat(exec.out()).as(exec.all()).contains("root:");

        assertThat(f.run("rm", "-f", "inuse").code()).isZero();
        assertThat(f.run("image", "prune", "-f").out()).contains("deleted: " + id);
        assertThat(f.run("image", "inspect", id).code()).isEqualTo(1);
    }

    private static String curlDelete(String ref) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket",
                f.socket.toString(), "-X", "DELETE", "http://andock/images/" + URLEncoder.encode(ref, StandardCharsets.UTF_8));
        return DaemonFixture.collect(pb, null, 20).out().strip();
    }
}
