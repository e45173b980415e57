package io.andock.builder;

import io.andock.task.Attach;
import io.andock.container.ContainerSpec;
import io.andock.testkit.Cmd;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Built images in other tools' hands: pushed to a fresh registry, read by skopeo, pulled and run by dockerd; and
 * the reverse: an image docker's classic builder made and pushed, pulled and run by andock.
 */
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
        f.engine.transfers().push(ref, null);
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
        try (Dockerd docker = Dockerd.start(); TestRegistry reg = TestRegistry.start()) {
            String ref = buildAndPush(f, reg);
            Cmd.Result pull = docker.exec("pull", ref);
            assertThat(pull.ok()).as(pull.toString()).isTrue();
            Cmd.Result run = docker.exec("run", "--rm", "--network", "none", ref);
            assertThat(run.ok()).as(run.toString()).isTrue();
            assertThat(run.stdout()).isEqualTo("hello from andock\n");
            Cmd.Result vi = docker.exec("run", "--rm", "--network", "none", ref,
                    "sh", "-c", "test ! -e /bin/vi && ls -d /app/deep/d*");
            assertThat(vi.ok()).as(vi.toString()).isTrue();
        }
    }

    /** The reverse direction: docker's classic builder makes the image, docker pushes it, andock pulls and runs it. */
    @Test
    @Tag("docker")
    void dockerBuiltImage_isPulledAndRunByAndock() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        try (Dockerd docker = Dockerd.start(); TestRegistry reg = TestRegistry.start()) {
            f.file("hello.txt", "hello from docker build\n").dockerfile("FROM BASE", "COPY hello.txt /app/",
                    "RUN echo \"made by RUN as $(id -u)\" > /app/run.txt && ln -s hello.txt /app/link && rm /bin/vi",
                    "ENV GREETING=hi", "WORKDIR /app", "CMD [\"sh\", \"-c\", \"cat link run.txt; echo $GREETING\"]");
            String ref = reg.ref("docker/built:1");
            Cmd.Result build = Cmd.exec(List.of("env", "DOCKER_BUILDKIT=0", "docker", "-H", docker.sock, "build",
                    "--network", "none", "-t", ref, f.ctx.toString()));
            assertThat(build.ok()).as(build.toString()).isTrue();
            Cmd.Result push = docker.exec("push", ref);
            assertThat(push.ok()).as(push.toString()).isTrue();

            f.engine.images().pull(ref, null, null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = f.engine.containers().run(ContainerSpec.builder(ref).autoRemove(true).build(),
                    Attach.streams(null, out, err));
            String stdout = out.toString(StandardCharsets.UTF_8);
            assertThat(rc).as(stdout + err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(stdout).isEqualTo("hello from docker build\nmade by RUN as 0\nhi\n");
            ByteArrayOutputStream out2 = new ByteArrayOutputStream();
            int rc2 = f.engine.containers().run(ContainerSpec.builder(ref).autoRemove(true)
                    .cmd("sh", "-c", "test ! -e /bin/vi && pwd && readlink /app/link").build(),
                    Attach.streams(null, out2, new ByteArrayOutputStream()));
            assertThat(rc2).as(out2.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out2.toString(StandardCharsets.UTF_8)).isEqualTo("/app\nhello.txt\n");
        }
    }

    /** A private dockerd (temp data/exec roots and socket, no iptables, no bridge); the test skips when it cannot start. */
    static final class Dockerd implements AutoCloseable {
        final Path dir;
        final String sock;
        final Process process;

        private Dockerd(Path dir, String sock, Process process) {
            this.dir = dir;
            this.sock = sock;
            this.process = process;
        }

        static Dockerd start() throws Exception {
            String bin = io.andock.os.HostTools.find("dockerd");
            Assumptions.assumeTrue(bin != null, "no dockerd on this host");
            Path d = Files.createDirectories(Path.of("/tmp/andock-dockerd-" + ProcessHandle.current().pid()));
            String sock = "unix://" + d.resolve("docker.sock");
            Process p = new ProcessBuilder(bin, "--data-root", d.resolve("data").toString(),
                    "--exec-root", d.resolve("exec").toString(), "-H", sock, "--pidfile", d.resolve("pid").toString(),
                    "--iptables=false", "--bridge=none").redirectErrorStream(true)
                    .redirectOutput(d.resolve("dockerd.log").toFile()).start();
            Dockerd dockerd = new Dockerd(d, sock, p);
            boolean up = false;
            for (int i = 0; i < 100 && p.isAlive() && !up; i++) {
                up = dockerd.exec("version").ok();
                if (!up) Thread.sleep(200);
            }
            if (!up) {
                String log = Files.readString(d.resolve("dockerd.log"));
                dockerd.close();
                Assumptions.assumeTrue(false, "dockerd did not start: " + log);
            }
            return dockerd;
        }

        Cmd.Result exec(String... args) {
            List<String> cmd = new ArrayList<>(List.of("docker", "-H", sock));
            cmd.addAll(List.of(args));
            return Cmd.exec(cmd);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor();
            Cmd.exec("rm", "-rf", dir.toString());
        }
    }
}
