package io.andock.engine;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.json.JsonObject;
import io.andock.transfer.archive.TarIndex;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine on local content only: import, images, inspect, resolution, tag, rmi, prune, save, load. */
class EngineLocalTest {
    @TempDir
    Path tmp;
    Engine engine;

    @BeforeEach
    void open() {
        engine = Engine.open(EngineConfig.of(tmp.resolve("root"), tmp.resolve("config")));
    }

    /** A rootfs tarball made by GNU tar. */
    Path rootfsTar(String name, String text, boolean gzip) throws Exception {
        Path dir = tmp.resolve("src-" + name);
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/hello"), text);
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("bin/tool"), "#!/bin/sh\necho " + text + "\n");
        Path out = tmp.resolve(name + (gzip ? ".tar.gz" : ".tar"));
        Process p = new ProcessBuilder("tar", gzip ? "-czf" : "-cf", out.toString(), "-C", dir.toString(), ".").inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    @Test
    void import_gzipAndPlain_becomeOneLayerImages() throws Exception {
        ImageSummary a = engine.transfers().importRootfs(rootfsTar("a", "alpha", true), "myimg:gz");
        ImageSummary b = engine.transfers().importRootfs(rootfsTar("b", "beta", false), "myimg:plain");
        assertThat(a.repository()).isEqualTo("myimg");
        assertThat(a.tag()).isEqualTo("gz");
        assertThat(a.created()).isNotNull();
        List<ImageSummary> list = engine.images().list();
        assertThat(list).extracting(ImageSummary::repository, ImageSummary::tag)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("myimg", "gz"), org.assertj.core.groups.Tuple.tuple("myimg", "plain"));
        ImageDetails d = engine.images().inspect("myimg:plain");
        assertThat(d.repoTags()).containsExactly("myimg:plain");
        assertThat(d.layers()).hasSize(1);
        assertThat(d.os()).isEqualTo("linux");
        assertThat(d.architecture()).isEqualTo(io.andock.image.Platform.host().architecture());
        // diff_id is the sha256 of the plain tar
        assertThat(d.layers().get(0)).isEqualTo(Digest.sha256(Files.readAllBytes(tmp.resolve("b.tar"))));
        Map<String, Object> json = d.toJson();
        assertThat(json).containsKeys("Id", "RepoTags", "RepoDigests", "Created", "Config", "RootFS", "Metadata", "Size");
        // unpacked at once
        Path rootfs = engine.images().rootfs("myimg:gz");
        assertThat(Files.readString(rootfs.resolve("etc/hello"))).isEqualTo("alpha");
        // the stored layer is gzip in both cases
        var cfgHistory = engine.images().inspect("myimg:gz");
        assertThat(cfgHistory.id()).isNotEqualTo(d.id());
        assertThat(b.id()).isEqualTo(d.id());
    }

    @Test
    void resolve_byFamiliarFullAndIdPrefix() throws Exception {
        engine.transfers().importRootfs(rootfsTar("a", "alpha", true), "busybox");
        Digest id = engine.images().id("busybox");
        assertThat(engine.images().id("docker.io/library/busybox:latest")).isEqualTo(id);
        assertThat(engine.images().id("busybox:latest")).isEqualTo(id);
        assertThat(engine.images().id(id.hex().substring(0, 6))).isEqualTo(id);
        assertThat(engine.images().id("sha256:" + id.hex().substring(0, 12))).isEqualTo(id);
        assertThat(engine.images().id(id.toString())).isEqualTo(id);
        assertThatThrownBy(() -> engine.images().id("nope"))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.NOT_FOUND))
                .hasMessage("No such image: nope:latest");
    }

    @Test
    void rmi_untagsSharedImage_deletesLast_andGcRemovesContent() throws Exception {
        engine.transfers().importRootfs(rootfsTar("a", "alpha", true), "one:v1");
        engine.images().tag("one:v1", "two:v2");
        Digest id = engine.images().id("one:v1");
        assertThatThrownBy(() -> engine.images().remove(id.hex().substring(0, 8), false))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.CONFLICT));
        assertThat(printed(engine.images().remove("one:v1", false))).containsExactly("Untagged: one:v1");
        assertThat(engine.images().inspect("two:v2").repoTags()).containsExactly("two:v2");
        Path blobs = tmp.resolve("root/content/blobs/sha256");
        assertThat(Files.list(blobs).count()).isEqualTo(3);
        assertThat(printed(engine.images().remove("two:v2", false))).containsExactly("Untagged: two:v2", "Deleted: " + id);
        assertThat(engine.images().list()).isEmpty();
        assertThat(Files.list(blobs).count()).isZero();
        assertThat(engine.snapshotter().list()).isEmpty();
    }

    @Test
    void rmiForceById_removesAllNames() throws Exception {
        engine.transfers().importRootfs(rootfsTar("a", "alpha", true), "one:v1");
        engine.images().tag("one:v1", "two:v2");
        Digest id = engine.images().id("one:v1");
        assertThat(printed(engine.images().remove(id.hex(), true))).contains("Untagged: one:v1", "Untagged: two:v2", "Deleted: " + id);
        assertThat(engine.images().list()).isEmpty();
    }

    @Test
    void retag_leavesDanglingImage_whichPruneRemoves() throws Exception {
        engine.transfers().importRootfs(rootfsTar("a", "alpha", true), "app");
        Digest old = engine.images().id("app");
        engine.transfers().importRootfs(rootfsTar("b", "beta", true), "app");
        assertThat(engine.images().list()).extracting(ImageSummary::repository).containsExactlyInAnyOrder("app", "<none>");
        assertThat(engine.images().id(old.hex())).isEqualTo(old);
        PruneReport r = engine.images().prune(false);
        assertThat(printed(r.deleted())).containsExactly("Deleted: " + old);
        assertThat(r.blobsDeleted()).isEqualTo(3);
        assertThat(engine.images().list()).extracting(ImageSummary::repository).containsExactly("app");
        assertThat(printed(engine.images().prune(true).deleted())).contains("Untagged: app:latest");
        assertThat(engine.images().list()).isEmpty();
    }

    @Test
    void save_dockerArchive_layoutAndRoundTrip() throws Exception {
        engine.transfers().importRootfs(rootfsTar("a", "alpha", false), "app:1");
        engine.images().tag("app:1", "other/app:2");
        Path tar = tmp.resolve("save.tar");
        engine.transfers().save(List.of("app:1", "other/app:2"), tar, Transfers.FORMAT_DOCKER_ARCHIVE);
        Process p = new ProcessBuilder("tar", "-tf", tar.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(listing).isZero();
        assertThat(listing).contains("manifest.json", "index.json", "oci-layout", "repositories", "blobs/sha256/");
        TarIndex t = TarIndex.open(tar);
        Object manifest = io.andock.json.Json.parse(t.read("manifest.json", 1 << 20));
        assertThat(manifest).asList().hasSize(1);
        JsonObject entry = JsonObject.of(((List<?>) manifest).get(0));
        assertThat(entry.strings("RepoTags")).containsExactly("app:1", "other/app:2");
        Digest id = engine.images().id("app:1");
        assertThat(entry.string("Config")).isEqualTo("blobs/sha256/" + id.hex());
        for (String l : entry.strings("Layers")) assertThat(t.size(l)).isPresent();
        JsonObject index = JsonObject.parse(t.read("index.json", 1 << 20));
        assertThat(index.objects("manifests")).extracting(m -> m.stringMap("annotations").get("io.containerd.image.name"))
                .containsExactly("docker.io/library/app:1", "docker.io/other/app:2");

        Engine fresh = Engine.open(EngineConfig.of(tmp.resolve("root2"), tmp.resolve("config")));
        assertThat(printed(fresh.transfers().load(tar, null))).containsExactly("Loaded image: app:1", "Loaded image: other/app:2");
        assertThat(fresh.images().id("other/app:2")).isEqualTo(id);
        assertThat(Files.readString(fresh.images().rootfs("app:1").resolve("etc/hello"))).isEqualTo("alpha");
        assertThat(fresh.images().inspect("app:1").target()).isEqualTo(engine.images().inspect("app:1").target());
    }

    @Test
    void save_ociDir_writesLayoutSkopeoReads() throws Exception {
        engine.transfers().importRootfs(rootfsTar("a", "alpha", true), "app:1");
        Path dir = tmp.resolve("oci");
        engine.transfers().save(List.of("app:1"), dir, Transfers.FORMAT_OCI_DIR);
        assertThat(Files.readString(dir.resolve("oci-layout"))).contains("\"imageLayoutVersion\":\"1.0.0\"");
        JsonObject index = JsonObject.parse(Files.readAllBytes(dir.resolve("index.json")));
        assertThat(index.objects("manifests")).hasSize(1);
        JsonObject m = index.objects("manifests").get(0);
        assertThat(m.stringMap("annotations")).containsEntry("org.opencontainers.image.ref.name", "1")
                .containsEntry("io.containerd.image.name", "docker.io/library/app:1");
        try (var ds = Files.list(dir.resolve("blobs/sha256"))) {
            for (Path b : ds.toList()) {
                assertThat(Digest.sha256(Files.readAllBytes(b)).hex()).isEqualTo(b.getFileName().toString());
            }
        }
        assertThat(Files.exists(dir.resolve("blobs/sha256/" + engine.images().id("app:1").hex()))).isTrue();
        if (new ProcessBuilder("sh", "-c", "command -v skopeo").start().waitFor() == 0) {
            Process p = new ProcessBuilder("skopeo", "inspect", "oci:" + dir + ":1").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out).contains(engine.images().inspect("app:1").manifest().toString());
        }
        // and back in from the directory
        Engine fresh = Engine.open(EngineConfig.of(tmp.resolve("root2"), tmp.resolve("config")));
        assertThat(printed(fresh.transfers().load(dir, null))).containsExactly("Loaded image: app:1");
    }

    @Test
    void load_fromStream_andUntaggedArchive() throws Exception {
        engine.transfers().importRootfs(rootfsTar("a", "alpha", true), "app:1");
        Digest id = engine.images().id("app:1");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        engine.transfers().save(List.of(id.hex().substring(0, 10)), bytes);
        Engine fresh = Engine.open(EngineConfig.of(tmp.resolve("root2"), tmp.resolve("config")));
        assertThat(printed(fresh.transfers().load(new java.io.ByteArrayInputStream(bytes.toByteArray()), null))).containsExactly("Loaded image ID: " + id);
        assertThat(fresh.images().list()).extracting(ImageSummary::repository, ImageSummary::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("<none>", id));
        assertThat(Files.list(tmp.resolve("root2/tmp")).count()).isZero();
    }

    /** The lines docker would print for {@code rmi}, {@code image prune} or {@code load}. */
    private static java.util.List<String> printed(java.util.List<?> items) {
        return items.stream().map(Object::toString).toList();
    }
}
