package io.andock.build;

import io.andock.testkit.Cmd;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Built images in other tools' hands: pushed to a fresh registry, read by skopeo, pulled and run by dockerd. */
@Tag("integration")
class BuildInteropTest {
    @TempDir
    Path tmp;

    private String buildAndPush(BuildFixture f, TestRegistry reg) throws Exception {
        f.file("hello.txt", "hello from andock\n").dockerfile("FROM BASE", "COPY hello.txt /app/",
                "RUN ln -s /app/hello.txt /app/link && mkdir -p /app/deep/$(printf 'd%.0s' $(seq 1 120)) && rm /bin/vi",
                "ENV GREETING=hi", "CMD [\"cat\", \"/app/link\"]");
        String ref = reg.ref("built/web:1");
        f.build(ref);
        f.engine.push(ref, null);
        return ref;
    }

    @Test
    void pushedImage_isReadBySkopeo() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        try (TestRegistry reg = TestRegistry.start()) {
            String ref = buildAndPush(f, reg);
            Cmd.Result r = Cmd.exec("skopeo", "inspect", "--tls-verify=false", "docker://" + ref);
            assertThat(r.ok()).as(r.toString()).isTrue();
            assertThat(r.stdout()).contains("\"GREETING=hi\"").contains("sha256:");
            Cmd.Result copy = Cmd.exec("skopeo", "copy", "--src-tls-verify=false", "docker://" + ref,
                    "oci:" + tmp.resolve("oci") + ":x");
            assertThat(copy.ok()).as(copy.toString()).isTrue(); // skopeo verifies every blob digest
        }
    }

    @Test
    @Tag("docker")
    void realDockerd_pullsAndRunsTheBuiltImage() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        Path d = Files.createDirectories(Path.of("/tmp/andock-dockerd-" + ProcessHandle.current().pid()));
        String sock = "unix://" + d.resolve("docker.sock");
        String bin = io.andock.runtime.HostTools.find("dockerd");
        Assumptions.assumeTrue(bin != null, "no dockerd on this host");
        Process dockerd = new ProcessBuilder(bin, "--data-root", d.resolve("data").toString(),
                "--exec-root", d.resolve("exec").toString(), "-H", sock, "--pidfile", d.resolve("pid").toString(),
                "--iptables=false", "--bridge=none").redirectErrorStream(true)
                .redirectOutput(d.resolve("dockerd.log").toFile()).start();
        try (TestRegistry reg = TestRegistry.start()) {
            boolean up = false;
            for (int i = 0; i < 100 && dockerd.isAlive() && !up; i++) {
                up = Cmd.exec("docker", "-H", sock, "version").ok();
                if (!up) Thread.sleep(200);
            }
            Assumptions.assumeTrue(up, "dockerd did not start: " + Files.readString(d.resolve("dockerd.log")));
            String ref = buildAndPush(f, reg);
            Cmd.Result pull = Cmd.exec("docker", "-H", sock, "pull", ref);
            assertThat(pull.ok()).as(pull.toString()).isTrue();
            Cmd.Result run = Cmd.exec(List.of("docker", "-H", sock, "run", "--rm", "--network", "none", ref));
            assertThat(run.ok()).as(run.toString()).isTrue();
            assertThat(run.stdout()).isEqualTo("hello from andock\n");
            Cmd.Result vi = Cmd.exec(List.of("docker", "-H", sock, "run", "--rm", "--network", "none", ref,
                    "sh", "-c", "test ! -e /bin/vi && ls -d /app/deep/d*"));
            assertThat(vi.ok()).as(vi.toString()).isTrue();
        } finally {
            dockerd.destroy();
            dockerd.waitFor();
            Cmd.exec("rm", "-rf", d.toString());
        }
    }
}
