package io.andock.transfer;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.image.Platform;
import io.andock.image.Reference;
import io.andock.json.Json;
import io.andock.transfer.MemoryImages.Destination;
import io.andock.transfer.MemoryImages.Image;
import io.andock.transfer.MemoryImages.Source;
import io.andock.transfer.archive.DockerArchiveReader;
import io.andock.transfer.archive.DockerArchiveWriter;
import io.andock.transfer.archive.OciLayout;
import io.andock.transfer.archive.OciLayoutWriter;
import io.andock.tar.TarWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static io.andock.transfer.MemoryImages.image;
import static io.andock.transfer.MemoryImages.index;
import static io.andock.transfer.MemoryImages.randomBytes;
import static io.andock.transfer.MemoryImages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** docker-archive and OCI layout written by the copier, read back by their readers, in a temp dir. */
@Tag("unit")
class ArchiveRoundTripTest {
    @TempDir
    Path tmp;

    final byte[] shared = randomBytes(10, 300_000);
    final Image a = image("linux/amd64", shared, randomBytes(11, 2000));
    final Image b = image("linux/amd64", shared, randomBytes(12, 3000));

    static Reference ref(String s) {
        return Reference.parse(s);
    }

    static Destination copyBack(ImageSource s) {
        Destination d = new Destination();
        ImageCopier.copy(s, d, CopyOptions.defaults());
        return d;
    }

    Path saveDockerArchive(Map<Image, List<Reference>> images) throws IOException {
        Path file = tmp.resolve("images.tar");
        try (OutputStream out = Files.newOutputStream(file)) {
            DockerArchiveWriter w = new DockerArchiveWriter(out);
            for (var e : images.entrySet()) ImageCopier.copy(new Source(e.getKey().manifest(), e.getKey()), w.image(e.getValue()), CopyOptions.defaults());
            w.close();
        }
        return file;
    }

    @Test
    void dockerArchive_writeThenRead_keepsManifestDigestBlobsAndTags() throws IOException {
        Path file = saveDockerArchive(Map.of(a, List.of(ref("busybox:1"), ref("127.0.0.1:5000/x/y:2"))));
        List<DockerArchiveReader.ArchiveImage> images = DockerArchiveReader.read(file);
        assertThat(images).hasSize(1);
        assertThat(images.get(0).tags()).containsExactly(ref("busybox:1"), ref("127.0.0.1:5000/x/y:2"));
        Destination back = copyBack(images.get(0).source());
        assertThat(back.committed.top().digest()).isEqualTo(a.manifest().digest());
        assertThat(back.blobs.get(a.layer(0).digest())).isEqualTo(shared);
        assertThat(back.blobs).hasSize(3);
    }

    @Test
    void dockerArchive_twoImagesSharingALayer_storeItOnce() throws IOException {
        Path file = saveDockerArchive(new java.util.LinkedHashMap<>(Map.of(a, List.of(ref("a:1")), b, List.of(ref("b:1")))));
        assertThat(Files.size(file)).isLessThan(2L * shared.length);
        List<DockerArchiveReader.ArchiveImage> images = DockerArchiveReader.read(file);
        assertThat(images).hasSize(2);
        for (var img : images) {
            Destination back = copyBack(img.source());
            assertThat(back.blobs.get(Digest.sha256(shared))).isEqualTo(shared);
        }
    }

    @Test
    void dockerArchive_untagged_readsWithoutTags() throws IOException {
        Path file = saveDockerArchive(Map.of(a, List.of()));
        List<DockerArchiveReader.ArchiveImage> images = DockerArchiveReader.read(file);
        assertThat(images).singleElement().satisfies(i -> assertThat(i.tags()).isEmpty());
        assertThat(copyBack(images.get(0).source()).committed.top().digest()).isEqualTo(a.manifest().digest());
    }

    /** The old form (docker before 25): {@code <id>/layer.tar} and {@code <hex>.json}, no index.json. */
    @Test
    void dockerArchive_legacyForm_synthesisesAnOciManifest_withLayerTypesFromMagic() throws IOException {
        byte[] plain = randomBytes(20, 4000);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(randomBytes(21, 5000));
        }
        Image img = image("linux/amd64", plain, gz.toByteArray());
        Path file = tmp.resolve("legacy.tar");
        String cfgName = img.configDescriptor().digest().hex() + ".json";
        try (java.io.OutputStream o = Files.newOutputStream(file)) {
            TarWriter t = new TarWriter(o);
            t.file(cfgName, img.config());
            t.file("l1/layer.tar", plain);
            t.file("l2/layer.tar", gz.toByteArray());
            t.file("manifest.json", utf8("[{\"Config\":\"" + cfgName + "\",\"RepoTags\":[\"old:1\"],\"Layers\":[\"l1/layer.tar\",\"l2/layer.tar\"]}]"));
            t.finish();
        }
        var images = DockerArchiveReader.read(file);
        assertThat(images.get(0).tags()).containsExactly(ref("old:1"));
        Destination back = copyBack(images.get(0).source());
        var layers = back.committed.manifest().layers();
        assertThat(layers.get(0).mediaType()).isEqualTo(MediaTypes.OCI_LAYER);
        assertThat(layers.get(1).mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        assertThat(back.blobs.get(layers.get(1).digest())).isEqualTo(gz.toByteArray());
        assertThat(back.committed.config().diffIds()).hasSize(2);
    }

    @Test
    void dockerArchive_malformed_isInvalidWithAClearMessage() throws IOException {
        Path none = tmp.resolve("none.tar");
        try (java.io.OutputStream o = Files.newOutputStream(none)) {
            TarWriter t = new TarWriter(o);
            t.file("hello.txt", utf8("hi"));
            t.finish();
        }
        assertThatThrownBy(() -> DockerArchiveReader.read(none)).isInstanceOf(AndockException.class).hasMessageContaining("no manifest.json");

        for (String manifestJson : List.of("{}", "[{\"RepoTags\":[\"x:1\"]}]", "[{\"Config\":\"missing.json\"}]",
                "[{\"Config\":\"c.json\",\"Layers\":[\"nope/layer.tar\"]}]", "[{\"Config\":\"c.json\",\"RepoTags\":[\"UPPER:1\"]}]", "not json")) {
            Path f = tmp.resolve("bad.tar");
            try (java.io.OutputStream o = Files.newOutputStream(f)) {
                TarWriter t = new TarWriter(o);
                t.file("c.json", a.config());
                t.file("manifest.json", utf8(manifestJson));
                t.finish();
            }
            assertThatThrownBy(() -> DockerArchiveReader.read(f).forEach(i -> copyBack(i.source()))).as(manifestJson)
                    .isInstanceOf(AndockException.class);
        }
    }

    @Test
    void ociLayout_writeThenRead_byTagOrFullName() {
        Path dir = tmp.resolve("layout");
        OciLayoutWriter w = new OciLayoutWriter(dir);
        ImageCopier.copy(new Source(a.manifest(), a), w.image(ref("app:1")), CopyOptions.defaults());
        w.close();
        assertThat(Files.exists(dir.resolve("oci-layout"))).isTrue();
        assertThat(copyBack(OciLayout.source(dir, "1")).committed.top().digest()).isEqualTo(a.manifest().digest());
        assertThat(copyBack(OciLayout.source(dir, "docker.io/library/app:1")).blobs.get(Digest.sha256(shared))).isEqualTo(shared);
        assertThat(copyBack(OciLayout.source(dir, null)).committed.top().digest()).isEqualTo(a.manifest().digest());
        assertThatThrownBy(() -> OciLayout.source(dir, "2"))
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.NOT_FOUND));
    }

    @Test
    void ociLayout_secondImageAddsToTheIndex_andReplacesTheSameName() {
        Path dir = tmp.resolve("layout");
        try (OciLayoutWriter w = new OciLayoutWriter(dir)) {
            ImageCopier.copy(new Source(a.manifest(), a), w.image(ref("app:1")), CopyOptions.defaults());
        }
        try (OciLayoutWriter w = new OciLayoutWriter(dir)) {
            ImageCopier.copy(new Source(b.manifest(), b), w.image(ref("app:2")), CopyOptions.defaults());
        }
        assertThat(copyBack(OciLayout.source(dir, "1")).committed.top().digest()).isEqualTo(a.manifest().digest());
        assertThat(copyBack(OciLayout.source(dir, "2")).committed.top().digest()).isEqualTo(b.manifest().digest());
        assertThatThrownBy(() -> OciLayout.source(dir, null)).hasMessageContaining("several images");
        try (OciLayoutWriter w = new OciLayoutWriter(dir)) {
            ImageCopier.copy(new Source(b.manifest(), b), w.image(ref("app:1")), CopyOptions.defaults());
        }
        assertThat(copyBack(OciLayout.source(dir, "1")).committed.top().digest()).isEqualTo(b.manifest().digest());
    }

    /** Two repositories with the same tag in one layout: both stay, each found by its full name. */
    @Test
    void ociLayout_twoRepositoriesWithTheSameTag_bothStay() {
        Path dir = tmp.resolve("layout");
        try (OciLayoutWriter w = new OciLayoutWriter(dir)) {
            ImageCopier.copy(new Source(a.manifest(), a), w.image(ref("first:latest")), CopyOptions.defaults());
            ImageCopier.copy(new Source(b.manifest(), b), w.image(ref("second:latest")), CopyOptions.defaults());
        }
        assertThat(copyBack(OciLayout.source(dir, "docker.io/library/first:latest")).committed.top().digest()).isEqualTo(a.manifest().digest());
        assertThat(copyBack(OciLayout.source(dir, "docker.io/library/second:latest")).committed.top().digest()).isEqualTo(b.manifest().digest());
    }

    @Test
    void ociLayout_index_allPlatforms_roundTrips_andSelectsOnRead() {
        Image arm64 = image("linux/arm64", randomBytes(30, 900));
        RawManifest ix = index(a, arm64);
        Path dir = tmp.resolve("multi");
        try (OciLayoutWriter w = new OciLayoutWriter(dir)) {
            ImageCopier.copy(new Source(ix, a, arm64), w.image(ref("multi:1")), new CopyOptions(null, true, 2, null, null));
        }
        Destination back = new Destination();
        CopyResult r = ImageCopier.copy(OciLayout.source(dir, "1"), back, CopyOptions.defaults().withPlatform(Platform.parse("linux/arm64")));
        assertThat(r.top().digest()).isEqualTo(ix.digest());
        assertThat(r.selected().digest()).isEqualTo(arm64.manifest().digest());
        assertThat(back.blobs).containsOnlyKeys(arm64.configDescriptor().digest(), arm64.layer(0).digest());
    }

    @Test
    void ociLayout_blobChangedOnDisk_isCorrupt() throws IOException {
        Path dir = tmp.resolve("layout");
        try (OciLayoutWriter w = new OciLayoutWriter(dir)) {
            ImageCopier.copy(new Source(a.manifest(), a), w.image(ref("app:1")), CopyOptions.defaults());
        }
        Path blob = dir.resolve("blobs/sha256/" + a.layer(1).digest().hex());
        byte[] bytes = Files.readAllBytes(blob);
        bytes[0] ^= 1;
        Files.write(blob, bytes);
        Destination back = new Destination();
        assertThatThrownBy(() -> ImageCopier.copy(OciLayout.source(dir, "1"), back, CopyOptions.defaults()))
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.CORRUPT))
                .hasMessageContaining(a.layer(1).digest().toString());
        assertThat(back.blobs).doesNotContainKey(a.layer(1).digest());
    }

    @Test
    void ociLayout_withoutLayoutFileOrWithHostileIndex_isInvalid() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plain"));
        Files.write(dir.resolve("index.json"), utf8("{\"manifests\":[]}"));
        assertThatThrownBy(() -> OciLayout.source(dir, null)).hasMessageContaining("oci-layout");
        Files.write(dir.resolve("oci-layout"), utf8("{\"imageLayoutVersion\":\"1.0.0\"}"));
        Files.write(dir.resolve("index.json"), utf8(Json.write(Map.of("manifests", List.of(
                Map.of("digest", "sha256:../../../etc/passwd", "size", 1))))));
        assertThatThrownBy(() -> OciLayout.source(dir, null))
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT));
    }
}
