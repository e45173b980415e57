package io.andock.hub;

import io.andock.engine.Engine;
import io.andock.engine.EngineConfig;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Real clients against the hub: skopeo (copy, inspect, delete, sync), crane, oras (subject, discover), andock's own pull and push. */
@Tag("registry")
class ClientsTest {
    static HubFixture hub;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.assumeAvailable();
        hub = HubFixture.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) hub.close();
    }

    static String skopeo(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return HubFixture.run(cmd).check().stdout();
    }

    static String layout(String tag) {
        return "oci:" + Fixtures.layout("busybox") + ":" + tag;
    }

    @Test
    void skopeoCopiesInspectsSyncsAndDeletes() throws Exception {
        String ref = "docker://" + hub.host() + "/team/busybox:multi";
        skopeo("copy", "--all", "--dest-tls-verify=false", layout("multiarch"), ref);
        String want = Fixtures.manifestDigest("busybox", "multiarch");
        assertThat(skopeo("inspect", "--raw", "--tls-verify=false", ref)).isEqualTo(new String(Fixtures.blob("busybox", want)));
        assertThat(skopeo("inspect", "--tls-verify=false", "--format", "{{.Digest}}", ref).trim()).isEqualTo(want);

        // back out byte for byte: the index and every platform
        Path out = Files.createTempDirectory("andock-hub-skopeo");
        skopeo("copy", "--all", "--src-tls-verify=false", ref, "oci:" + out + ":back");
        assertThat(Files.readString(out.resolve("index.json"))).contains(want);

        // a Docker v2s2 manifest is kept as it was pushed, never converted
        String v2 = "docker://" + hub.host() + "/team/busybox:v2s2";
        skopeo("copy", "--format", "v2s2", "--dest-tls-verify=false", layout("latest"), v2);
        assertThat(skopeo("inspect", "--raw", "--tls-verify=false", v2)).contains("application/vnd.docker.distribution.manifest.v2+json");

        // sync a repository to a directory
        Path synced = Files.createTempDirectory("andock-hub-sync");
        skopeo("sync", "--all", "--src", "docker", "--dest", "dir", "--src-tls-verify=false", hub.host() + "/team/busybox", synced.toString());
        try (var s = Files.list(synced)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).contains("busybox:multi", "busybox:v2s2");
        }

        skopeo("delete", "--tls-verify=false", v2);
        Cmd.Result gone = HubFixture.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", v2));
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.stderr()).containsIgnoringCase("manifest unknown");
        io.andock.os.FileTrees.removeTree(out);
        io.andock.os.FileTrees.removeTree(synced);
    }

    @Test
    void craneCopiesListsAndDeletes() throws Exception {
        String crane = HubFixture.tool(HubFixture.CRANE).toString();
        skopeo("copy", "--all", "--dest-tls-verify=false", layout("multiarch"), "docker://" + hub.host() + "/crane/src:1");
        HubFixture.run(List.of(crane, "copy", "--insecure", hub.host() + "/crane/src:1", hub.host() + "/crane/dst:2")).check();
        String d1 = HubFixture.run(List.of(crane, "digest", "--insecure", hub.host() + "/crane/src:1")).check().stdout().trim();
        String d2 = HubFixture.run(List.of(crane, "digest", "--insecure", hub.host() + "/crane/dst:2")).check().stdout().trim();
        assertThat(d2).isEqualTo(d1).isEqualTo(Fixtures.manifestDigest("busybox", "multiarch"));
        assertThat(HubFixture.run(List.of(crane, "ls", "--insecure", hub.host() + "/crane/dst")).check().stdout().trim()).isEqualTo("2");
        assertThat(HubFixture.run(List.of(crane, "catalog", "--insecure", hub.host())).check().stdout()).contains("crane/src", "crane/dst");
        HubFixture.run(List.of(crane, "tag", "--insecure", hub.host() + "/crane/dst:2", "3")).check();
        HubFixture.run(List.of(crane, "delete", "--insecure", hub.host() + "/crane/dst@" + d2)).check();
        assertThat(HubFixture.run(List.of(crane, "ls", "--insecure", hub.host() + "/crane/dst")).check().stdout().trim()).isEmpty();
    }

    @Test
    void orasPushesAnArtifactWithASubjectAndDiscoversIt() throws Exception {
        String oras = HubFixture.tool(HubFixture.ORAS).toString();
        Path dir = Files.createTempDirectory("andock-hub-oras");
        Files.writeString(dir.resolve("hello.txt"), "hello from oras\n");
        Files.writeString(dir.resolve("sbom.json"), "{\"sbom\":true}\n");
        String ref = hub.host() + "/oras/app:v1";
        Cmd.Result push = Cmd.exec(List.of("sh", "-c", "cd " + dir + " && " + oras + " push --plain-http --artifact-type application/vnd.andock.test "
                + ref + " hello.txt:text/plain"));
        assertThat(push.exitCode()).as(push.stderr()).isZero();
        Cmd.Result attach = Cmd.exec(List.of("sh", "-c", "cd " + dir + " && " + oras + " attach --plain-http --artifact-type application/vnd.andock.sbom "
                + ref + " sbom.json:application/json"));
        assertThat(attach.exitCode()).as(attach.stderr()).isZero();
        Cmd.Result discover = HubFixture.run(List.of(oras, "discover", "--plain-http", "--format", "json", ref));
        assertThat(discover.exitCode()).as(discover.stderr()).isZero();
        assertThat(discover.stdout()).contains("application/vnd.andock.sbom");
        Cmd.Result filtered = HubFixture.run(List.of(oras, "discover", "--plain-http", "--format", "json", "--artifact-type", "application/vnd.none", ref));
        assertThat(filtered.stdout()).doesNotContain("application/vnd.andock.sbom");
        Path pulled = Files.createTempDirectory("andock-hub-oras-pull");
        Cmd.Result pull = Cmd.exec(List.of("sh", "-c", "cd " + pulled + " && " + oras + " pull --plain-http " + ref));
        assertThat(pull.exitCode()).as(pull.stderr()).isZero();
        assertThat(Files.readString(pulled.resolve("hello.txt"))).isEqualTo("hello from oras\n");
        io.andock.os.FileTrees.removeTree(dir);
        io.andock.os.FileTrees.removeTree(pulled);
    }

    @Test
    void andockPullsAndPushesThroughCoresRegistryClient() throws Exception {
        skopeo("copy", "--dest-tls-verify=false", layout("latest"), "docker://" + hub.host() + "/andock/busybox:1");
        Path root = Files.createTempDirectory("andock-hub-engine");
        try (Engine engine = Engine.open(EngineConfig.of(root.resolve("root"), root.resolve("config")))) {
            engine.images().pull(hub.host() + "/andock/busybox:1", null, null);
            engine.images().tag(hub.host() + "/andock/busybox:1", hub.host() + "/andock/copy:2");
            engine.transfers().push(hub.host() + "/andock/copy:2", null);
        }
        String a = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + hub.host() + "/andock/busybox:1");
        String b = skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + hub.host() + "/andock/copy:2");
        assertThat(b).isEqualTo(a);
        io.andock.os.FileTrees.removeTree(root);
    }
}
