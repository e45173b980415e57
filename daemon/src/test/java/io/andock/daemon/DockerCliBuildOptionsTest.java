package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Build and import options through the real docker CLI (issue 10, class 9): errors on stderr from the stream's
 * {@code errorDetail} (exit 1), {@code --cache-from} (only those images' layers), {@code docker import -c/-m}, system df -v.
 */
class DockerCliBuildOptionsTest {
    static DaemonFixture f;
    static Path context;
    static String bb;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
        bb = f.image("busybox:latest");
        assertThat(f.run("pull", "-q", bb).code()).isZero();
        context = f.dir.resolve("ctx-options");
        Files.createDirectories(context);
        Files.writeString(context.resolve("Dockerfile"), "FROM " + bb + "\nRUN echo cached > /c.txt\n");
        Files.writeString(context.resolve("Dockerfile.syntax"), "FROM " + bb + "\nFROBNICATE now\n");
        Files.writeString(context.resolve("Dockerfile.copy"), "FROM " + bb + "\nCOPY nosuch.txt /\n");
        Files.writeString(context.resolve("Dockerfile.df"), "FROM " + bb + "\nRUN echo df > /df.txt\n");
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void buildErrors_reachStderr_andTheCliExits1() throws Exception {
        var syntax = build("-f", "Dockerfile.syntax", ".");
        assertThat(syntax.code()).as(syntax.all()).isEqualTo(1);
        assertThat(syntax.err()).contains("FROBNICATE");
        var copy = build("-f", "Dockerfile.copy", ".");
        assertThat(copy.code()).as(copy.all()).isEqualTo(1);
        assertThat(copy.out()).contains("Step 1/2 : FROM");
        assertThat(copy.err()).contains("nosuch.txt");
    }

    @Test
    void cacheFrom_takesCachedStepsOnlyFromTheNamedImages() throws Exception {
        assertThat(build("-t", "cf:1", ".").code()).isZero();
        var from = build("--cache-from", "cf:1", "-t", "cf:2", ".");
        assertThat(from.code()).as(from.all()).isZero();
        assertThat(from.out()).contains("Using cache");
        var none = build("--cache-from", "nosuch:tag", "-t", "cf:3", ".");
        assertThat(none.code()).as(none.all()).isZero();
        assertThat(none.out()).doesNotContain("Using cache");
    }

    @Test
    void import_withChangesAndMessage() throws Exception {
        assertThat(f.run("create", "--name", "src-for-import", bb, "true").code()).isZero();
        Path tar = f.dir.resolve("rootfs.tar");
        assertThat(f.run("export", "-o", tar.toString(), "src-for-import").code()).isZero();
        var imp = f.run("import", "-c", "CMD [\"sh\", \"-c\", \"echo $A\"]", "-c", "ENV A=b", "-m", "from a tar",
                tar.toString(), "imp:1");
        assertThat(imp.code()).as(imp.all()).isZero();
        var run = f.run("run", "--rm", "imp:1");
        assertThat(run.out()).as(run.all()).isEqualTo("b\n");
        assertThat(f.run("history", "--format", "{{.Comment}}", "imp:1").out()).contains("from a tar");
        var bad = f.run("import", "-c", "FROBNICATE x", tar.toString(), "imp:2");
        assertThat(bad.code()).isNotZero();
        assertThat(f.run("image", "inspect", "imp:2").code()).isNotZero();
        f.run("rm", "-f", "src-for-import");
    }

    @Test
    void systemDfVerbose_showsSharedSizes() throws Exception {
        assertThat(build("-t", "df:1", "-f", "Dockerfile.df", ".").code()).isZero(); // an image of its own ID
        assertThat(f.run("create", "--name", "df-user", "df:1", "true").code()).isZero();
        var df = f.run("system", "df", "-v");
        assertThat(df.code()).as(df.all()).isZero();
        assertThat(df.out()).contains("Images space usage:").contains("Containers space usage:")
                .contains("Local Volumes space usage:").contains("SHARED SIZE");
        var shared = f.run("system", "df", "-v", "--format", "{{range .Images}}{{.Repository}}:{{.Tag}} {{.SharedSize}} {{.UniqueSize}}\n{{end}}");
        assertThat(shared.code()).as(shared.all()).isZero();
        // the base's one layer is shared by the built image: both show it as shared, the built one has its own too
        String base = shared.out().lines().filter(l -> l.startsWith(bb.substring(0, bb.indexOf(':')))).findFirst().orElseThrow();
        String built = shared.out().lines().filter(l -> l.startsWith("df:1 ")).findFirst().orElseThrow();
        assertThat(base.split(" ")[1]).isNotEqualTo("0B");
        assertThat(base.split(" ")[1]).isEqualTo(built.split(" ")[1]);
        assertThat(built.split(" ")[2]).isNotEqualTo("0B");
        assertThat(f.run("system", "df", "-v", "--format", "{{range .Containers}}{{.Names}}\n{{end}}").out()).contains("df-user");
        f.run("rm", "-f", "df-user");
    }

    private static DaemonFixture.Result build(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "build";
        System.arraycopy(args, 0, all, 1, args.length);
        ProcessBuilder pb = f.docker(all).directory(context.toFile());
        pb.environment().put("DOCKER_BUILDKIT", "0");
        return DaemonFixture.collect(pb, null, 300);
    }
}
