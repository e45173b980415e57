package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.ImageIndex;
import io.andock.image.Manifest;
import io.andock.image.MediaTypes;
import io.andock.image.Platform;
import io.andock.image.Reference;
import io.andock.json.JsonObject;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import io.andock.transfer.ImageSource;
import io.andock.transfer.RawManifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pulls from a real registry (distribution 2.8) filled by skopeo: every manifest flavour, blobs, errors. */
class RegistryPullTest {
    static TestRegistry registry;
    static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = RegistryFixture.registry();
        client = RegistryFixture.anonymousClient();
    }

    static Reference ref(String repoTag) {
        return RegistryFixture.ref(registry.host(), repoTag);
    }

    @Test
    void resolve_ociIndex_selectsArm64Armv7Amd64_andFetchesChildrenByDigest() {
        RawManifest top = client.manifest(ref("busybox:multiarch"));
        assertThat(top.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(top.digest().toString()).isEqualTo(Fixtures.manifestDigest("busybox", "multiarch"));
        ImageIndex index = ImageIndex.parse(top.bytes(), top.mediaType());

        Map<String, String> expectedArch = Map.of("linux/arm64/v8", "arm64", "linux/arm/v7", "arm", "linux/amd64", "amd64");
        for (Map.Entry<String, String> want : expectedArch.entrySet()) {
            Descriptor d = index.select(Platform.parse(want.getKey()));
            RawManifest child = client.manifest(ref("busybox:multiarch"), d.digest());
            assertThat(child.digest()).isEqualTo(d.digest());
            assertThat(child.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            Manifest m = Manifest.parse(child.bytes(), child.mediaType());
            try (InputStream in = client.blob(ref("busybox:multiarch"), m.config(), 0)) {
                JsonObject config = JsonObject.parse(in.readAllBytes());
                assertThat(config.string("architecture")).as(want.getKey()).isEqualTo(want.getValue());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void resolve_dockerSchema2ManifestAndList() {
        RawManifest v2s2 = client.manifest(ref("busybox:v2s2"));
        assertThat(v2s2.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(Manifest.parse(v2s2.bytes(), v2s2.mediaType()).layers().get(0).mediaType())
                .isEqualTo(MediaTypes.DOCKER_LAYER_GZIP);

        RawManifest list = client.manifest(ref("busybox:multiarch-v2s2"));
        assertThat(list.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        Descriptor arm = ImageIndex.parse(list.bytes(), list.mediaType()).select(Platform.parse("linux/arm/v7"));
        RawManifest child = client.manifest(ref("busybox:multiarch-v2s2"), arm.digest());
        assertThat(child.mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(child.digest()).isEqualTo(arm.digest());
    }

    @Test
    void resolve_umociManifestWithoutMediaType_isTypedFromContentType() {
        RawManifest m = client.manifest(ref("busybox:latest"));
        assertThat(JsonObject.parse(m.bytes()).has("mediaType")).as("umoci writes no mediaType").isFalse();
        assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(m.digest().toString()).isEqualTo(Fixtures.manifestDigest("busybox", "latest"));
        assertThat(m.bytes()).isEqualTo(Fixtures.blob("busybox", m.digest().toString()));
    }

    @Test
    void resolve_byPinnedDigest_checksTheBytes() {
        Digest d = Digest.parse(Fixtures.manifestDigest("busybox", "latest"));
        RawManifest m = client.manifest(Reference.parse(registry.host() + "/busybox@" + d));
        assertThat(m.digest()).isEqualTo(d);

        // a front that serves busybox:v2s2 when asked for that digest, as a lying mirror would
        try (FlakyFront liar = new FlakyFront(registry.host())
                .rewrite("/v2/busybox/manifests/" + d, "/v2/busybox/manifests/v2s2")) {
            assertThatThrownBy(() -> client.manifest(Reference.parse(liar.host() + "/busybox@" + d)))
                    .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT))
                    .hasMessageStartingWith("manifest digest mismatch: expected " + d + ", got sha256:");
            assertThat(liar.log()).hasSize(1);   // not retried
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void blob_wholeAndFromOffset_bytesMatchTheDigest() throws Exception {
        Descriptor layer = RegistryFixture.busyboxLayer();
        byte[] expected = RegistryFixture.layoutBlob(layer.digest());
        byte[] whole;
        try (InputStream in = client.blob(ref("busybox:latest"), layer, 0)) {
            whole = in.readAllBytes();
        }
        assertThat(whole.length).isEqualTo(layer.size());
        assertThat(Digest.sha256(whole)).isEqualTo(layer.digest());   // the caller's check

        long offset = 123_457;
        try (InputStream in = client.blob(ref("busybox:latest"), layer, offset)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(expected, (int) offset, expected.length));
        }
        try (InputStream in = client.blob(ref("busybox:latest"), layer, layer.size())) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void blobExists_andTags() {
        Descriptor layer = RegistryFixture.busyboxLayer();
        assertThat(client.blobExists(ref("busybox:latest"), layer.digest())).isTrue();
        assertThat(client.blobExists(ref("busybox:latest"), Digest.sha256("no such blob".getBytes()))).isFalse();
        assertThat(client.tags(ref("busybox:latest"))).contains("latest", "multiarch", "v2s2", "multiarch-v2s2");
        client.ping(registry.host());
    }

    @Test
    void imageSource_servesTopChildrenAndBlobs() throws Exception {
        try (ImageSource src = client.source(ref("busybox:multiarch"))) {
            assertThat(src.describe()).isEqualTo(registry.host() + "/busybox:multiarch");
            RawManifest top = src.manifest(null);
            assertThat(src.manifest(null)).isSameAs(top);
            Descriptor amd64 = ImageIndex.parse(top.bytes(), top.mediaType()).select(Platform.parse("linux/amd64"));
            Manifest m = Manifest.parse(src.manifest(amd64.digest()).bytes(), null);
            Descriptor layer = m.layers().get(0);
            try (InputStream in = src.blob(layer, 0)) {
                assertThat(Digest.sha256(in.readAllBytes())).isEqualTo(layer.digest());
            }
        }
    }

    @Test
    void unknownTagOrRepo_isNotFound_withTheRegistrysMessage() {
        assertThatThrownBy(() -> client.manifest(ref("busybox:nope")))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessage("manifest unknown");
        assertThatThrownBy(() -> client.manifest(ref("nope:latest")))   // distribution 2.8 says MANIFEST_UNKNOWN here
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessage("manifest unknown");
        assertThatThrownBy(() -> client.tags(ref("nope:latest")))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessage("repository name not known to registry");
        Descriptor missing = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256("missing".getBytes()), 7);
        assertThatThrownBy(() -> client.blob(ref("busybox:latest"), missing, 0))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND))
                .hasMessageContaining("blob unknown");
    }

    @Test
    void connectionRefused_isUnavailable_namingTheHost() {
        String dead = "127.0.0.1:" + RegistryFixture.deadPort();
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.manifest(RegistryFixture.ref(dead, "busybox:latest")))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
                .hasMessageStartingWith("cannot connect to " + dead);
        assertThat((System.nanoTime() - start) / 1_000_000).as("3 fast retries").isLessThan(5_000);
    }

    @Test
    void mirrors_triedFirst_deadMirrorFallsThroughToOrigin() {
        String dead = "127.0.0.1:" + RegistryFixture.deadPort();
        try (FlakyFront mirror = new FlakyFront(registry.host())) {
            // the registry itself is unreachable: everything comes from the mirror
            RegistryClient viaMirror = new RegistryClient(RegistryFixture.fastOptions()
                    .withMirrors(Map.of(dead, List.of("http://" + mirror.host()))), CredentialStore.none());
            RawManifest m = viaMirror.manifest(RegistryFixture.ref(dead, "busybox:latest"));
            assertThat(m.digest().toString()).isEqualTo(Fixtures.manifestDigest("busybox", "latest"));
            assertThat(mirror.count("fwd GET /v2/busybox/manifests/latest")).isEqualTo(1);

            // a dead mirror costs one connection attempt, then the registry answers
            RegistryClient deadMirror = new RegistryClient(RegistryFixture.fastOptions()
                    .withMirrors(Map.of(registry.host(), List.of("http://" + dead))), CredentialStore.none());
            assertThat(deadMirror.manifest(ref("busybox:latest")).digest()).isEqualTo(m.digest());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
