package io.andock.registry;

import io.andock.image.Descriptor;
import io.andock.image.Manifest;
import io.andock.image.Reference;
import io.andock.testkit.CuttingProxy;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import io.andock.transfer.CopyResult;
import io.andock.transfer.ImageSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.andock.registry.PushFixture.layout;
import static io.andock.registry.PushFixture.push;
import static org.assertj.core.api.Assertions.assertThat;

/** Pushes to a fresh real registry (distribution 2.8), checked with skopeo; requests counted through a proxy. */
class RegistryPushTest {
    TestRegistry target;
    CuttingProxy proxy;
    RegistryClient client = RegistryFixture.anonymousClient();

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        Fixtures.assumeAvailable();
        target = TestRegistry.start();
        proxy = new CuttingProxy(target.host());
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
        if (target != null) target.close();
    }

    static List<Descriptor> layers(String layout, String tag) {
        return Manifest.parse(Fixtures.blob(layout, Fixtures.manifestDigest(layout, tag)), null).layers();
    }

    /** Through the proxy, so its request log sees every call. */
    Reference viaProxy(String repoTag) {
        return RegistryFixture.ref(proxy.host(), repoTag);
    }

    long count(String method, String pathPart) {
        return proxy.requests().stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).count();
    }

    @Test
    void push_layout_skopeoSeesTheSameDigest() throws Exception {
        PushFixture.Events events = new PushFixture.Events();
        Reference to = RegistryFixture.ref(target.host(), "mirror/busybox:latest");
        CopyResult r = push(client, layout("busybox", "latest"), to, PushOptions.defaults().withListener(events));

        String expected = Fixtures.manifestDigest("busybox", "latest");
        assertThat(r.top().digest().toString()).isEqualTo(expected);
        assertThat(PushFixture.skopeoInspectDigest(target.ref("mirror/busybox:latest"))).isEqualTo(expected);
        assertThat(PushFixture.skopeoDigest(target.ref("mirror/busybox:latest"), null).toString()).isEqualTo(expected);
        assertThat(PushFixture.skopeoCopyBack(target.ref("mirror/busybox:latest"), dir.resolve("back"), false)).isEqualTo(expected);

        Descriptor layer = layers("busybox", "latest").get(0);
        String id = layer.digest().shortHex();
        assertThat(events.of(id)).containsExactly("Preparing", "Waiting", "Pushed");
        assertThat(events.progress).contains(id + ": Pushing " + layer.size() + "/" + layer.size());
        assertThat(events.messages).containsExactly("latest: digest: " + expected + " size: " + r.top().bytes().length);
        assertThat(events.statuses).allMatch(s -> s.startsWith(id));   // the config is pushed quietly
    }

    @Test
    void push_imagePulledFromOneRegistry_toAnother() throws Exception {
        TestRegistry from = RegistryFixture.registry();
        ImageSource source = client.source(RegistryFixture.ref(from.host(), "busybox:latest"));
        Reference to = RegistryFixture.ref(target.host(), "copied/busybox:v1");
        push(client, source, to, PushOptions.defaults().withOrigins(BlobOrigins.of(source)));

        String expected = Fixtures.manifestDigest("busybox", "latest");
        assertThat(PushFixture.skopeoDigest(target.ref("copied/busybox:v1"), null).toString()).isEqualTo(expected);
        assertThat(PushFixture.skopeoCopyBack(target.ref("copied/busybox:v1"), dir.resolve("back"), false)).isEqualTo(expected);
        assertThat(target.log()).doesNotContain("mount=");   // another registry: nothing to mount from
    }

    @Test
    void push_index_keepsItsDigest_childrenFirst() throws Exception {
        Reference to = viaProxy("multi/busybox:multiarch");
        push(client, layout("busybox", "multiarch"), to, PushOptions.defaults());

        String expected = Fixtures.manifestDigest("busybox", "multiarch");
        assertThat(PushFixture.skopeoDigest(target.ref("multi/busybox:multiarch"), null).toString()).isEqualTo(expected);
        assertThat(PushFixture.skopeoCopyBack(target.ref("multi/busybox:multiarch"), dir.resolve("back"), true)).isEqualTo(expected);
        List<CuttingProxy.Request> puts = proxy.requests().stream()
                .filter(r -> r.method().equals("PUT") && r.path().contains("/manifests/")).toList();
        assertThat(puts).hasSize(4);   // three children by digest, then the index by tag, once each
        assertThat(puts.subList(0, 3)).allMatch(r -> r.path().contains("/manifests/sha256:"));
        assertThat(puts.get(3).path()).endsWith("/manifests/multiarch");
    }

    @Test
    void push_again_everyLayerAlreadyExists_andNothingIsUploaded() {
        Reference to = viaProxy("again/layers:whiteouts");
        PushFixture.Events first = new PushFixture.Events();
        push(client, layout("layers", "whiteouts"), to, PushOptions.defaults().withListener(first));
        List<Descriptor> layers = layers("layers", "whiteouts");
        assertThat(count("PATCH", "/blobs/uploads/")).isZero();               // small blobs: monolithic
        assertThat(count("PUT", "/blobs/uploads/")).isEqualTo(layers.size() + 1);   // layers + config
        for (Descriptor l : layers) assertThat(first.of(l.digest().shortHex())).contains("Pushed");

        proxy.reset();
        PushFixture.Events second = new PushFixture.Events();
        push(client, layout("layers", "whiteouts"), to, PushOptions.defaults().withListener(second));
        for (Descriptor l : layers) {
            assertThat(second.of(l.digest().shortHex())).containsExactly("Preparing", "Layer already exists");
        }
        assertThat(second.progress).isEmpty();
        assertThat(count("POST", "/blobs/")).isZero();
        assertThat(count("PATCH", "/blobs/")).isZero();
        assertThat(count("PUT", "/blobs/")).isZero();
        assertThat(count("HEAD", "/blobs/")).isEqualTo(layers.size() + 1);
        assertThat(count("PUT", "/manifests/")).isEqualTo(1);
    }

    @Test
    void push_toAnotherRepository_mountsEveryBlob() {
        Reference a = viaProxy("a/layers:v1");
        push(client, layout("layers", "whiteouts"), a, PushOptions.defaults());
        proxy.reset();

        PushFixture.Events events = new PushFixture.Events();
        Reference b = viaProxy("b/layers:v1");
        push(client, layout("layers", "whiteouts"), b,
                PushOptions.defaults().withListener(events).withOrigins(BlobOrigins.repository(a)));

        List<Descriptor> layers = layers("layers", "whiteouts");
        for (Descriptor l : layers) {
            assertThat(events.of(l.digest().shortHex())).containsExactly("Preparing", "Mounted from a/layers");
        }
        assertThat(count("POST", "mount=")).isEqualTo(layers.size() + 1);
        assertThat(count("PUT", "/blobs/")).isZero();
        assertThat(target.log()).containsPattern("\"POST /v2/b/layers/blobs/uploads/\\?mount=sha256%3A[0-9a-f]{64}&from=a%2Flayers HTTP/1.1\" 201");
        assertThat(PushFixture.skopeoDigest(target.ref("b/layers:v1"), null).toString())
                .isEqualTo(Fixtures.manifestDigest("layers", "whiteouts"));
    }

    @Test
    void push_fromTheSameRegistry_mountsFromTheSourceRepository() {
        push(client, layout("busybox", "latest"), RegistryFixture.ref(target.host(), "library/busybox:latest"), PushOptions.defaults());
        ImageSource source = client.source(RegistryFixture.ref(target.host(), "library/busybox:latest"));
        PushFixture.Events events = new PushFixture.Events();
        push(client, source, RegistryFixture.ref(target.host(), "me/busybox:mine"),
                PushOptions.defaults().withListener(events).withOrigins(BlobOrigins.of(source)));
        String id = layers("busybox", "latest").get(0).digest().shortHex();
        assertThat(events.of(id)).containsExactly("Preparing", "Mounted from library/busybox");
        assertThat(target.log()).contains("from=library%2Fbusybox HTTP/1.1\" 201");
    }

    @Test
    void push_mountRefused_fallsBackToTheUploadSessionItOpened() {
        PushFixture.Events events = new PushFixture.Events();
        Reference to = viaProxy("fallback/busybox:latest");
        push(client, layout("busybox", "latest"), to, PushOptions.defaults().withListener(events)
                .withOrigins(BlobOrigins.repository(viaProxy("nowhere/busybox"))));
        String id = layers("busybox", "latest").get(0).digest().shortHex();
        assertThat(events.of(id)).containsExactly("Preparing", "Waiting", "Pushed");
        assertThat(count("POST", "mount=")).isEqualTo(2);                  // layer and config: 202
        assertThat(count("POST", "/blobs/uploads/")).isEqualTo(2);         // no second POST: the 202 session was used
        assertThat(count("PUT", "/blobs/uploads/")).isEqualTo(2);
        assertThat(target.log()).contains("from=nowhere%2Fbusybox HTTP/1.1\" 202");
        assertThat(PushFixture.skopeoDigest(target.ref("fallback/busybox:latest"), null).toString())
                .isEqualTo(Fixtures.manifestDigest("busybox", "latest"));
    }

    @Test
    void push_blobAboveThreshold_isUploadedInChunks() throws Exception {
        Descriptor layer = layers("busybox", "latest").get(0);
        long chunk = 300 * 1024;
        Reference to = viaProxy("chunked/busybox:latest");
        PushFixture.Events events = new PushFixture.Events();
        push(client, layout("busybox", "latest"), to, PushOptions.defaults().withListener(events).withChunking(256 * 1024, chunk));

        long chunks = (layer.size() + chunk - 1) / chunk;
        assertThat(chunks).isGreaterThan(1);
        assertThat(count("PATCH", "/blobs/uploads/")).isEqualTo(chunks);   // the config (small) goes in one PUT
        assertThat(count("PUT", "/blobs/uploads/")).isEqualTo(2);
        String id = layer.digest().shortHex();
        assertThat(events.of(id)).containsExactly("Preparing", "Waiting", "Pushed");
        assertThat(events.progress).contains(id + ": Pushing " + layer.size() + "/" + layer.size());
        String expected = Fixtures.manifestDigest("busybox", "latest");
        assertThat(PushFixture.skopeoCopyBack(target.ref("chunked/busybox:latest"), dir.resolve("back"), false)).isEqualTo(expected);
    }
}
