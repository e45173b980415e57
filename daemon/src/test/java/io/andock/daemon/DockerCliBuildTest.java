package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /build} driven by the real docker CLI 28.2.2 with the classic builder ({@code DOCKER_BUILDKIT=0}). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerCliBuildTest {
    static DaemonFixture f;
    static Path context;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
        context = f.dir.resolve("ctx");
        Files.createDirectories(context);
        Files.writeString(context.resolve("hello.txt"), "hello from the context\n");
        Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                "FROM " + f.image("busybox:latest"),
                "ARG GREETING=hello",
                "COPY hello.txt /hello.txt",
                "RUN echo \"$GREETING from RUN\" > /greeting.txt",
                "CMD [\"cat\", \"/hello.txt\", \"/greeting.txt\"]", ""));
        Files.writeString(context.resolve("Dockerfile.fail"), String.join("\n",
                "FROM " + f.image("busybox:latest"),
                "RUN echo boom; exit 3", ""));
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    @Order(1)
    void build_tagsAnImageThatRuns() throws Exception {
        Path iid = f.dir.resolve("iid");
        var r = build("-t", "built:1", "--build-arg", "GREETING=hi", "--iidfile", iid.toString(), ".");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Step 1/5 : FROM " + f.image("busybox:latest"))
                .contains("Step 4/5 : RUN echo \"$GREETING from RUN\" > /greeting.txt")
                .contains("Successfully built ").contains("Successfully tagged built:1");
        String id = f.run("image", "inspect", "-f", "{{.Id}}", "built:1").out().trim();
        assertThat(id).startsWith("sha256:");
        assertThat(Files.readString(iid).trim()).isEqualTo(id);
        assertThat(r.out()).contains("Successfully built " + id.substring(7, 19));

        var run = f.run("run", "--rm", "built:1");
        assertThat(run.code()).as(run.all()).isZero();
        assertThat(run.out()).isEqualTo("hello from the context\nhi from RUN\n");
    }

    @Test
    @Order(2)
    void rebuild_ofACompressedContext_usesTheCache() throws Exception {
        var r = build("-t", "built:2", "--build-arg", "GREETING=hi", "--compress", ".");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Using cache").contains("Successfully tagged built:2");
        String one = f.run("image", "inspect", "-f", "{{.Id}}", "built:1").out().trim();
        String two = f.run("image", "inspect", "-f", "{{.Id}}", "built:2").out().trim();
        assertThat(two).isEqualTo(one);
    }

    @Test
    @Order(3)
    void build_quiet_printsOnlyTheId() throws Exception {
        var r = build("-q", "--build-arg", "GREETING=hi", ".");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out().trim()).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    @Order(3)
    void build_label_isSetOnTheImage() throws Exception {
        var r = build("-t", "labelled:1", "--build-arg", "GREETING=hi", "--label", "a=b", ".");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).doesNotContain("ignored");
        var labels = f.run("image", "inspect", "-f", "{{json .Config.Labels}}", "labelled:1");
        assertThat(labels.code()).as(labels.all()).isZero();
        assertThat(labels.out().trim()).isEqualTo("{\"a\":\"b\"}");
    }

    @Test
    @Order(4)
    void failingRun_exitsWithItsCodeAndMessage() throws Exception {
        var r = build("-t", "broken", "-f", "Dockerfile.fail", ".");
        assertThat(r.code()).as(r.all()).isEqualTo(3);
        assertThat(r.out()).contains("boom");
        assertThat(r.err()).contains("returned a non-zero code: 3");
        assertThat(f.run("image", "inspect", "broken").code()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aDockerfileOutsideTheContext_orOnStdin_builds() throws Exception {
        // the CLI adds such a Dockerfile to the context it sends, unpadded and with no end-of-archive blocks
        Path outside = Files.writeString(f.dir.resolve("Dockerfile.outside"),
                "FROM " + f.image("busybox:latest") + "\nCOPY hello.txt /h\nRUN cat /h\n");
        var r = build("-q", "-t", "outside:1", "-f", outside.toString(), ".");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(f.run("run", "--rm", "outside:1", "cat", "/h").out()).isEqualTo("hello from the context\n");
        // and --add-host reaches the RUN steps' /etc/hosts
        var stdin = f.runWithInput(("FROM " + f.image("busybox:latest") + "\nRUN grep -E '^10.1.2.3\\s+buildhost$' /etc/hosts\n").getBytes(),
                "build", "-q", "--add-host", "buildhost:10.1.2.3", "-t", "stdin:1", "-f", "-", context.toString());
        assertThat(stdin.code()).as(stdin.all()).isZero();
    }

    @Test
    @Order(5)
    void missingDockerfile_isReported() throws Exception {
        var r = build("-f", "Nope", ".");
        assertThat(r.code()).isNotZero();
        assertThat(r.all()).containsIgnoringCase("Nope");
    }

    @Test
    @Order(6)
    void hostileContext_isRefusedAndNothingEscapes() throws Exception {
        Path tar = f.dir.resolve("hostile.tar");
        var b = new ByteArrayOutputStream();
        tarEntry(b, "Dockerfile", "FROM scratch\nCOPY . /\n");
        tarEntry(b, "../../escape.txt", "pwned\n");
        b.write(new byte[1024]);
        Files.write(tar, b.toByteArray());
        Process p = new ProcessBuilder("curl", "-s", "-w", "\n%{http_code}", "--unix-socket", f.socket.toString(),
                "-H", "Content-Type: application/x-tar", "--data-binary", "@" + tar, "http://localhost/v1.47/build?t=hostile")
                .redirectErrorStream(true).start();
        String reply = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(reply).contains("invalid build context").endsWith("400");
        assertThat(f.root.resolve("escape.txt")).doesNotExist();
        assertThat(f.root.resolve("tmp/escape.txt")).doesNotExist();
    }

    @Test
    @Order(7)
    void contextDirectories_areRemoved() throws Exception {
        try (var s = Files.list(f.root.resolve("tmp"))) {
            assertThat(s.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith("build-context-"));
        }
    }

    /** One ustar entry: a regular file with {@code body}. */
    private static void tarEntry(ByteArrayOutputStream out, String name, String body) {
        byte[] data = body.getBytes(StandardCharsets.UTF_8);
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", data.length));
        put(h, 136, String.format("%011o", 0));
        h[156] = '0';
        put(h, 257, "ustar");
        h[263] = '0';
        h[264] = '0';
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte x : h) sum += x & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        out.writeBytes(h);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    /** {@code docker build ARGS} in the context directory, with the classic builder. */
    private static DaemonFixture.Result build(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "build";
        System.arraycopy(args, 0, all, 1, args.length);
        ProcessBuilder pb = f.docker(all).directory(context.toFile());
        pb.environment().put("DOCKER_BUILDKIT", "0");
        return DaemonFixture.collect(pb, null, 300);
    }
}
