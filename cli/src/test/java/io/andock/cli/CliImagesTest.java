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

import static org.assertj.core.api.Assertions.assertThat;

/** The image commands of the README, end to end: a real andock process against a real registry. */
@Tag("registry")
class CliImagesTest {
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
    }

    private String ref(String repoTag) {
        return registry.host() + "/" + repoTag;
    }

    @Test
    void pull_images_inspect_tag_rmi_prune() {
        Andock andock = new Andock(tmp.resolve("root"));
        String out = andock.ok("pull", ref("busybox:latest"));
        assertThat(out).contains("latest: Pulling from " + registry.host() + "/busybox")
                .contains("Pull complete").contains("Digest: sha256:")
                .contains("Status: Downloaded newer image for " + ref("busybox:latest"))
                .endsWith(ref("busybox:latest") + "\n");

        String images = andock.ok("images");
        assertThat(images.lines().findFirst().orElseThrow()).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE");
        assertThat(images).contains(registry.host() + "/busybox").contains("latest");

        String json = andock.ok("images", "--format", "json");
        assertThat(json.strip()).startsWith("{").contains("\"Repository\":\"" + registry.host() + "/busybox\"")
                .contains("\"Tag\":\"latest\"");
        assertThat(andock.ok("images", "--format", "{{.Repository}}:{{.Tag}}").strip()).isEqualTo(ref("busybox:latest"));

        String inspect = andock.ok("inspect", ref("busybox:latest"));
        assertThat(inspect).startsWith("[").contains("\"Architecture\": \"amd64\"").contains("\"RepoTags\"")
                .contains("\"Cmd\"");
        String id = andock.ok("inspect", "--format", "{{.Id}}", ref("busybox:latest")).strip();
        assertThat(id).startsWith("sha256:").hasSize(71);

        andock.ok("tag", ref("busybox:latest"), "mybox:1");
        assertThat(andock.ok("images", "mybox")).contains("mybox").contains("1");
        assertThat(andock.ok("rmi", "mybox:1")).contains("Untagged: mybox:1");
        assertThat(andock.ok("images", "-q")).contains(id.substring(7, 19));

        assertThat(andock.ok("rmi", ref("busybox:latest"))).contains("Untagged:").contains("Deleted: " + id);
        assertThat(andock.ok("images", "-q")).isBlank();
        assertThat(andock.ok("image", "prune", "-f")).contains("Total reclaimed space");
        assertThat(andock.ok("image", "ls", "-q")).isBlank();
    }

    @Test
    void pull_platformFromIndex_andQuiet() {
        Andock andock = new Andock(tmp.resolve("root"));
        assertThat(andock.ok("pull", "-q", "--platform", "linux/arm64", ref("busybox:multiarch")).strip())
                .isEqualTo(ref("busybox:multiarch"));
        assertThat(andock.ok("inspect", "--format", "{{.Architecture}}/{{.Variant}}", ref("busybox:multiarch")).strip())
                .isEqualTo("arm64/v8");
        andock.ok("pull", "-q", ref("busybox:v2s2"));
        andock.ok("pull", "-q", ref("layers:zstd"));
        assertThat(andock.ok("images")).contains("multiarch").contains("v2s2").contains("zstd");
    }

    @Test
    void errors_areOneLineAndExit125() {
        Andock andock = new Andock(tmp.resolve("root"));
        Cmd.Result missing = andock.run("pull", ref("busybox:nope"));
        assertThat(missing.exitCode()).isEqualTo(125);
        assertThat(missing.stderr().strip()).startsWith("Error: ").doesNotContain("\n").doesNotContain("Exception");

        Cmd.Result bad = andock.run("pull", "UPPER/Case");
        assertThat(bad.exitCode()).isEqualTo(125);
        assertThat(bad.stderr()).contains("invalid reference format");

        Cmd.Result lie = andock.run("pull", ref("evil:bad-diffid"));
        assertThat(lie.exitCode()).isEqualTo(125);
        assertThat(lie.stderr()).contains("diff");
        assertThat(andock.ok("images", "-q")).isBlank();

        Cmd.Result noImage = andock.run("rmi", "nosuch:1");
        assertThat(noImage.exitCode()).isNotZero();
        assertThat(noImage.stderr()).contains("No such image: nosuch:1");

        Cmd.Result flag = andock.run("images", "--bogus");
        assertThat(flag.exitCode()).isEqualTo(125);
    }

    @Test
    void save_load_ociDir_import() throws Exception {
        Andock andock = new Andock(tmp.resolve("root"));
        andock.ok("pull", "-q", ref("busybox:configured"));
        Path archive = tmp.resolve("bb.tar");
        andock.ok("save", "-o", archive.toString(), ref("busybox:configured"));
        String listing = Cmd.run("tar", "-tf", archive.toString());
        assertThat(listing).contains("manifest.json").contains("index.json").contains("oci-layout").contains("blobs/sha256/");

        Andock other = new Andock(tmp.resolve("other"));
        assertThat(other.ok("load", "-i", archive.toString())).contains("Loaded image: " + ref("busybox:configured"));
        assertThat(other.ok("inspect", "--format", "{{.Config.User}}", ref("busybox:configured")).strip()).isEqualTo("1000:1000");

        Path oci = tmp.resolve("bb-oci");
        andock.ok("save", "--format", "oci-dir", "-o", oci.toString(), ref("busybox:configured"));
        assertThat(oci.resolve("oci-layout")).exists();
        String skopeo = Cmd.run("skopeo", "inspect", "--config", "oci:" + oci);
        assertThat(skopeo).contains("httpd");

        Path rootfs = tmp.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        Path tar = tmp.resolve("rootfs.tar");
        Cmd.run("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".");
        String id = andock.ok("import", tar.toString(), "mybase:1").strip();
        assertThat(id).startsWith("sha256:");
        assertThat(andock.ok("images", "mybase")).contains("mybase").contains("1");
    }

    @Test
    void push_toAFreshRegistry_skopeoReadsItBack() {
        try (TestRegistry target = TestRegistry.start()) {
            Andock andock = new Andock(tmp.resolve("root"));
            andock.ok("pull", "-q", ref("busybox:configured"));
            String pushed = target.host() + "/web:1";
            andock.ok("tag", ref("busybox:configured"), pushed);
            String out = andock.ok("push", pushed);
            assertThat(out).contains("The push refers to repository [" + target.host() + "/web]").contains("Pushed")
                    .contains("1: digest: sha256:");
            assertThat(andock.ok("push", pushed)).contains("Layer already exists");
            String config = Cmd.run("skopeo", "inspect", "--config", "--tls-verify=false", "docker://" + pushed);
            assertThat(config).contains("httpd");
            String manifestDigest = andock.ok("inspect", "--format", "{{json .RepoDigests}}", ref("busybox:configured"));
            String raw = Cmd.run("skopeo", "inspect", "--format", "{{.Digest}}", "--tls-verify=false", "docker://" + pushed).strip();
            assertThat(manifestDigest).contains(raw.substring(7));
        }
    }

    @Test
    void loadsWhatSkopeoWroteAsDockerArchive() {
        Path archive = tmp.resolve("skopeo.tar");
        Cmd.run("skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + ref("busybox:latest"),
                "docker-archive:" + archive + ":fromskopeo:1");
        Andock andock = new Andock(tmp.resolve("root"));
        assertThat(andock.ok("load", "-i", archive.toString())).contains("Loaded image: fromskopeo:1");
        assertThat(andock.ok("images")).contains("fromskopeo");
    }

    @Test
    void login_logout_basicAuthRegistry() throws Exception {
        try (TestRegistry auth = TestRegistry.builder().basicAuth("andock", "secret-pw").start()) {
            auth.push("busybox:latest");
            Andock andock = new Andock(tmp.resolve("root"));
            Cmd.Result denied = andock.run("pull", auth.host() + "/busybox:latest");
            assertThat(denied.exitCode()).isEqualTo(125);
            assertThat(denied.stderr()).containsIgnoringCase("andock login");

            Path pw = tmp.resolve("pw");
            Files.writeString(pw, "wrong\n");
            Cmd.Result wrong = Cmd.exec(java.util.List.of("sh", "-c", String.join(" ", quoted(Andock.javaCommand()))
                    + " --root " + andock.root() + " login -u andock --password-stdin " + auth.host() + " < " + pw),
                    java.util.Map.of("HOME", tmp.resolve("home").toString(), "XDG_CONFIG_HOME", tmp.resolve("config").toString()));
            assertThat(wrong.exitCode()).isEqualTo(125);

            Files.writeString(pw, "secret-pw\n");
            Cmd.Result ok = Cmd.exec(java.util.List.of("sh", "-c", String.join(" ", quoted(Andock.javaCommand()))
                    + " --root " + andock.root() + " login -u andock --password-stdin " + auth.host() + " < " + pw),
                    java.util.Map.of("HOME", andock.root().resolve("home").toString(),
                            "XDG_CONFIG_HOME", andock.root().resolve("config").toString()));
            assertThat(ok.stdout()).contains("Login Succeeded");
            andock.ok("pull", "-q", auth.host() + "/busybox:latest");
            assertThat(andock.ok("logout", auth.host())).contains("Removing login credentials for " + auth.host());
            andock.ok("rmi", auth.host() + "/busybox:latest");
            assertThat(andock.run("pull", auth.host() + "/busybox:latest").exitCode()).isEqualTo(125);
        }
    }

    private static java.util.List<String> quoted(java.util.List<String> words) {
        return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList();
    }
}
