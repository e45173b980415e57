package io.andock.transfer;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.image.Platform;
import io.andock.transfer.MemoryImages.Destination;
import io.andock.transfer.MemoryImages.Events;
import io.andock.transfer.MemoryImages.Image;
import io.andock.transfer.MemoryImages.Source;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.andock.transfer.MemoryImages.image;
import static io.andock.transfer.MemoryImages.index;
import static io.andock.transfer.MemoryImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one copy algorithm between an in-memory source and destination: order, reuse, verification, platforms, events. */
@Tag("unit")
class ImageCopierTest {
    final byte[] l1 = randomBytes(1, 300_000), l2 = randomBytes(2, 1000), l3 = randomBytes(3, 0);
    final Image amd64 = image("linux/amd64", l1, l2);

    static CopyOptions options(String platform, Events events) {
        return CopyOptions.defaults().withPlatform(Platform.parse(platform)).withListener(events);
    }

    static void assertKind(Throwable e, AndockException.Kind kind) {
        assertThat(e).isInstanceOf(AndockException.class);
        assertThat(((AndockException) e).kind()).isEqualTo(kind);
    }

    @Test
    void copy_plainManifest_storesConfigLayersThenManifestThenCommits() {
        Source src = new Source(amd64.manifest(), amd64);
        Destination dst = new Destination();
        Events ev = new Events();
        CopyResult r = ImageCopier.copy(src, dst, options("linux/arm64", ev)); // a plain manifest ignores the platform
        assertThat(dst.blobs).containsOnlyKeys(amd64.configDescriptor().digest(), amd64.layer(0).digest(), amd64.layer(1).digest());
        assertThat(dst.blobs.get(amd64.layer(0).digest())).isEqualTo(l1);
        assertThat(dst.calls.get(0)).isEqualTo("blob " + amd64.configDescriptor().digest().shortHex());
        assertThat(dst.calls.subList(dst.calls.size() - 2, dst.calls.size()))
                .containsExactly("manifest " + amd64.manifest().digest().shortHex(), "commit");
        assertThat(dst.aborted).isNull();
        assertThat(r.top().digest()).isEqualTo(amd64.manifest().digest());
        assertThat(r.selected()).isEqualTo(r.top());
        assertThat(r.manifest().layers()).hasSize(2);
        assertThat(r.config().diffIds()).containsExactly(Digest.sha256(l1), Digest.sha256(l2));
        String id1 = amd64.layer(0).digest().shortHex();
        assertThat(ev.events).contains(id1 + " Pulling fs layer", id1 + " Download complete", id1 + " Downloading 300000/300000");
        assertThat(ev.events.indexOf(id1 + " Pulling fs layer")).isLessThan(ev.events.indexOf(id1 + " Download complete"));
    }

    @Test
    void copy_blobTheDestinationHas_isReusedNotFetched() {
        Source src = new Source(amd64.manifest(), amd64);
        Destination dst = new Destination();
        dst.blobs.put(amd64.layer(0).digest(), l1);
        Events ev = new Events();
        ImageCopier.copy(src, dst, options("linux/amd64", ev));
        assertThat(src.blobRequests).doesNotContain(amd64.layer(0).digest()).contains(amd64.layer(1).digest());
        assertThat(ev.events).contains(amd64.layer(0).digest().shortHex() + " Already exists");
        assertThat(dst.calls).doesNotContain("blob " + amd64.layer(0).digest().shortHex());
    }

    @Test
    void copy_everythingPresent_fetchesOnlyTheConfig() {
        Source src = new Source(amd64.manifest(), amd64);
        Destination dst = new Destination();
        dst.blobs.put(amd64.layer(0).digest(), l1);
        dst.blobs.put(amd64.layer(1).digest(), l2);
        ImageCopier.copy(src, dst, CopyOptions.defaults());
        assertThat(src.blobRequests).containsExactly(amd64.configDescriptor().digest());
        assertThat(dst.committed).isNotNull();
    }

    @Test
    void copy_emptyLayer_isCopied() {
        Image img = image("linux/amd64", l3);
        Destination dst = new Destination();
        ImageCopier.copy(new Source(img.manifest(), img), dst, CopyOptions.defaults());
        assertThat(dst.blobs.get(Digest.sha256(l3))).isEmpty();
    }

    /** Same size, other bytes; shorter; longer: each is CORRUPT, names the layer, aborts, stores nothing of it. */
    @ParameterizedTest
    @ValueSource(strings = {"flip", "short", "long", "empty"})
    void copy_layerNotMatchingItsDescriptor_isCorrupt_andAborts(String how) {
        Source src = new Source(amd64.manifest(), amd64);
        Digest bad = amd64.layer(1).digest();
        src.tamper.put(bad, b -> switch (how) {
            case "flip" -> { byte[] c = b.clone(); c[c.length / 2] ^= 1; yield c; }
            case "short" -> Arrays.copyOf(b, b.length - 1);
            case "long" -> Arrays.copyOf(b, b.length + 1);
            default -> new byte[0];
        });
        Destination dst = new Destination();
        assertThatThrownBy(() -> ImageCopier.copy(src, dst, CopyOptions.defaults()))
                .satisfies(e -> assertKind(e, AndockException.Kind.CORRUPT))
                .hasMessageContaining("layer " + bad);
        assertThat(dst.blobs).doesNotContainKey(bad);
        assertThat(dst.committed).isNull();
        assertThat(dst.aborted).isNotNull();
        assertThat(dst.manifests).isEmpty();
    }

    @Test
    void copy_tamperedConfig_isCorrupt_namingTheConfig() {
        Source src = new Source(amd64.manifest(), amd64);
        src.tamper.put(amd64.configDescriptor().digest(), b -> { byte[] c = b.clone(); c[1] = ' '; return c; });
        Destination dst = new Destination();
        assertThatThrownBy(() -> ImageCopier.copy(src, dst, CopyOptions.defaults()))
                .satisfies(e -> assertKind(e, AndockException.Kind.CORRUPT))
                .hasMessageContaining("config " + amd64.configDescriptor().digest());
        assertThat(dst.blobs).isEmpty();
        assertThat(dst.calls).containsExactly("abort");
    }

    @Test
    void copy_sourceFailingForALayer_keepsItsKind_andNamesTheLayer() {
        Source src = new Source(amd64.manifest(), amd64);
        src.failures.put(amd64.layer(0).digest(), new AndockException(AndockException.Kind.UNAVAILABLE, "connection reset"));
        Destination dst = new Destination();
        assertThatThrownBy(() -> ImageCopier.copy(src, dst, CopyOptions.defaults()))
                .satisfies(e -> assertKind(e, AndockException.Kind.UNAVAILABLE))
                .hasMessageContaining("layer " + amd64.layer(0).digest()).hasMessageContaining("connection reset");
        assertThat(dst.aborted).isNotNull();
    }

    @Test
    void copy_sourceThrowingAnUncheckedIoError_isWrappedWithTheLayer() {
        Source src = new Source(amd64.manifest(), amd64);
        src.failures.put(amd64.layer(1).digest(), new UncheckedIOException(new java.io.IOException("broken pipe")));
        assertThatThrownBy(() -> ImageCopier.copy(src, new Destination(), CopyOptions.defaults()))
                .isInstanceOf(AndockException.class)
                .hasMessageContaining("layer " + amd64.layer(1).digest()).hasMessageContaining("broken pipe");
    }

    @Test
    void copy_index_selectsThePlatformAndCopiesOnlyItsBlobs() {
        Image arm6 = image("linux/arm/v6", randomBytes(6, 500));
        Image arm7 = image("linux/arm/v7", randomBytes(7, 700));
        RawManifest ix = index(amd64, arm6, arm7);
        Source src = new Source(ix, amd64, arm6, arm7);
        Destination dst = new Destination();
        CopyResult r = ImageCopier.copy(src, dst, options("linux/arm/v7", new Events()));
        assertThat(r.top().digest()).isEqualTo(ix.digest());
        assertThat(r.selected().digest()).isEqualTo(arm7.manifest().digest());
        assertThat(r.config().platform()).isEqualTo(Platform.parse("linux/arm/v7"));
        assertThat(dst.blobs).containsOnlyKeys(arm7.configDescriptor().digest(), arm7.layer(0).digest());
        // children before the index that lists them
        assertThat(dst.calls.subList(dst.calls.size() - 3, dst.calls.size())).containsExactly(
                "manifest " + arm7.manifest().digest().shortHex(), "manifest " + ix.digest().shortHex(), "commit");
        assertThat(dst.manifests.get(arm7.manifest().digest()).mediaType()).isEqualTo(io.andock.image.MediaTypes.OCI_MANIFEST);
    }

    @Test
    void copy_index_olderArmVariantIsTheFallback() {
        Image arm6 = image("linux/arm/v6", randomBytes(6, 500));
        Source src = new Source(index(amd64, arm6), amd64, arm6);
        CopyResult r = ImageCopier.copy(src, new Destination(), options("linux/arm/v7", new Events()));
        assertThat(r.selected().digest()).isEqualTo(arm6.manifest().digest());
    }

    @Test
    void copy_index_noMatchingPlatform_isNotFound_andAborts() {
        Source src = new Source(index(amd64), amd64);
        Destination dst = new Destination();
        assertThatThrownBy(() -> ImageCopier.copy(src, dst, options("linux/s390x", new Events())))
                .satisfies(e -> assertKind(e, AndockException.Kind.NOT_FOUND))
                .hasMessageContaining("linux/s390x").hasMessageContaining("linux/amd64");
        assertThat(dst.aborted).isNotNull();
        assertThat(dst.blobs).isEmpty();
    }

    @Test
    void copy_index_allPlatforms_copiesEveryChild_andReportsTheWantedOne() {
        Image arm64 = image("linux/arm64", randomBytes(64, 640));
        RawManifest ix = index(amd64, arm64);
        Source src = new Source(ix, amd64, arm64);
        Destination dst = new Destination();
        CopyOptions all = new CopyOptions(Platform.parse("linux/arm64"), true, 2, null, null);
        CopyResult r = ImageCopier.copy(src, dst, all);
        assertThat(r.selected().digest()).isEqualTo(arm64.manifest().digest());
        assertThat(dst.manifests).containsOnlyKeys(amd64.manifest().digest(), arm64.manifest().digest(), ix.digest());
        assertThat(dst.blobs).hasSize(5);
        CopyResult none = ImageCopier.copy(src, new Destination(), new CopyOptions(Platform.parse("linux/s390x"), true, 2, null, null));
        assertThat(none.selected().digest()).isEqualTo(amd64.manifest().digest()); // none fits: the first
    }

    @Test
    void copy_index_childWhoseBytesDoNotMatchTheIndex_isCorrupt() {
        RawManifest ix = index(amd64);
        Source src = new Source(ix, amd64);
        Image other = image("linux/amd64", l2);
        src.children.put(amd64.manifest().digest(), other.manifest()); // served under the wrong digest
        Destination dst = new Destination();
        assertThatThrownBy(() -> ImageCopier.copy(src, dst, options("linux/amd64", new Events())))
                .satisfies(e -> assertKind(e, AndockException.Kind.CORRUPT))
                .hasMessageContaining("manifest " + amd64.manifest().digest());
        assertThat(dst.manifests).isEmpty();
    }

    @Test
    void copy_manifestOver4MiB_isRefused() {
        byte[] big = MemoryImages.utf8("{\"schemaVersion\":2,\"pad\":\"" + "x".repeat(4 << 20) + "\"}");
        Source src = new Source(RawManifest.of(big, io.andock.image.MediaTypes.OCI_MANIFEST));
        assertThatThrownBy(() -> ImageCopier.copy(src, new Destination(), CopyOptions.defaults()))
                .satisfies(e -> assertKind(e, AndockException.Kind.INVALID_ARGUMENT)).hasMessageContaining("4 MiB");
    }

    @Test
    void copy_topThatIsNotJson_isInvalid_andAborts() {
        Source src = new Source(RawManifest.of(MemoryImages.utf8("<html>"), "text/html"));
        Destination dst = new Destination();
        assertThatThrownBy(() -> ImageCopier.copy(src, dst, CopyOptions.defaults()))
                .satisfies(e -> assertKind(e, AndockException.Kind.INVALID_ARGUMENT));
        assertThat(dst.calls).containsExactly("abort");
    }

    @Test
    void copy_onConfig_runsOnceBeforeAnyLayerIsStored() {
        Source src = new Source(amd64.manifest(), amd64);
        Destination dst = new Destination();
        AtomicReference<List<String>> seen = new AtomicReference<>();
        List<Integer> calls = new ArrayList<>();
        ImageCopier.copy(src, dst, CopyOptions.defaults().withOnConfig((m, c) -> {
            calls.add(1);
            seen.set(List.copyOf(dst.calls));
            assertThat(m.layers()).hasSize(2);
            assertThat(c.diffIds()).hasSize(2);
        }));
        assertThat(calls).hasSize(1);
        assertThat(seen.get()).containsExactly("blob " + amd64.configDescriptor().digest().shortHex());
    }

    @Test
    void copy_manyLayers_withConcurrencyTwo_waitsThenStoresAll() {
        byte[][] layers = new byte[8][];
        for (int i = 0; i < layers.length; i++) layers[i] = randomBytes(100 + i, 10_000 + i);
        Image img = image("linux/amd64", layers);
        Source src = new Source(img.manifest(), img);
        Destination dst = new Destination();
        Events ev = new Events();
        ImageCopier.copy(src, dst, new CopyOptions(null, false, 2, ev, null));
        assertThat(dst.blobs).hasSize(9);
        assertThat(ev.events).filteredOn(e -> e.endsWith(" Waiting")).hasSize(8);
        assertThat(ev.events).filteredOn(e -> e.endsWith(" Download complete")).hasSize(8);
    }

    @Test
    void copyOptions_defaultsAreHostPlatformThreeAtATimeAndNoListener() {
        CopyOptions o = new CopyOptions(null, false, 0, null, null);
        assertThat(o.platform()).isEqualTo(Platform.host());
        assertThat(o.concurrency()).isEqualTo(3);
        assertThat(o.listener()).isSameAs(TransferListener.NONE);
    }

    @Test
    void sniffMediaType_fromTheDocument() {
        assertThat(ImageCopier.sniffMediaType(amd64.manifest().bytes())).isEqualTo(io.andock.image.MediaTypes.OCI_MANIFEST);
        assertThat(ImageCopier.sniffMediaType(MemoryImages.utf8("{\"manifests\":[]}"))).isEqualTo(io.andock.image.MediaTypes.OCI_INDEX);
        assertThat(ImageCopier.sniffMediaType(MemoryImages.utf8("{\"schemaVersion\":2}"))).isEqualTo(io.andock.image.MediaTypes.OCI_MANIFEST);
    }
}
