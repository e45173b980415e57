package io.andock.hub;

import io.andock.image.Digest;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import io.andock.testkit.TokenServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub as a pull-through mirror of a real upstream: Debian's docker-registry on loopback behind the testkit's
 * token server (credentials configured for the upstream), standing in for docker.io. Upstream fetches are counted
 * from its access log.
 */
@Tag("registry")
class MirrorTest {
    static TokenServer tokens;
    static TestRegistry upstream;
    static HubFixture hub;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.assumeAvailable();
        tokens = new TokenServer().user("mirror", "mirror-pw");
        upstream = TestRegistry.builder().tokenAuth(tokens).start();
        List<Fixtures.Image> images = new ArrayList<>();
        for (Fixtures.Image i : Fixtures.imageList("busybox:latest", "busybox:multiarch")) {
            images.add(new Fixtures.Image(i.layout(), i.tag(), "library/" + i.repoTag(), i.skopeoOptions(), false));
        }
        upstream.push(images);
        HubConfig.Upstream up = new HubConfig.Upstream("docker.io", URI.create("http://" + upstream.host()), "mirror", "mirror-pw");
        hub = HubFixture.start(c -> c.withMirroring(new HubConfig.Mirroring(List.of(up), 0)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) hub.close();
        if (upstream != null) upstream.close();
        if (tokens != null) tokens.close();
    }

    static long upstreamGets(String path) {
        return upstream.log().lines().filter(l -> l.contains("\"GET " + path + " ")).count();
    }

    static String skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return HubFixture.run(cmd).check().stdout();
    }

    @Test
    void theThreeWaysClientsAskAllGetTheUpstreamsBytes() throws Exception {
        String want = Fixtures.manifestDigest("busybox", "latest");
        byte[] raw = Fixtures.blob("busybox", want);
        // the host prefix
        assertThat(skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + hub.host() + "/docker.io/library/busybox:latest"))
                .isEqualTo(new String(raw));
        // ?ns= (containerd, andock)
        HttpResponse<String> ns = hub.send("GET", "/v2/library/busybox/manifests/latest?ns=docker.io", null,
                Map.of("Accept", "application/vnd.oci.image.manifest.v1+json"));
        assertThat(ns.statusCode()).isEqualTo(200);
        assertThat(ns.headers().firstValue("Docker-Content-Digest")).hasValue(want);
        // Docker's registry-mirrors: the plain path of a repository the hub does not hold
        Path out = Files.createTempDirectory("andock-hub-mirror");
        skopeo("copy", "--src-tls-verify=false", "docker://" + hub.host() + "/library/busybox:latest", "oci:" + out + ":x");
        assertThat(Files.readString(out.resolve("index.json"))).contains(want);
        // the multi-platform index, byte for byte (its arm layers are left for the tests below)
        String idx = Fixtures.manifestDigest("busybox", "multiarch");
        assertThat(skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + hub.host() + "/docker.io/library/busybox:multiarch"))
                .isEqualTo(new String(Fixtures.blob("busybox", idx)));
        io.andock.os.FileTrees.removeTree(out);
        // pushes into a mirrored repository are refused
        assertThat(hub.send("POST", "/v2/docker.io/library/busybox/blobs/uploads/", null, Map.of()).statusCode()).isEqualTo(405);
        assertThat(hub.send("GET", "/metrics", null, Map.of()).body()).contains("andock_hub_upstream_fetches_total{kind=\"blob\"}");
    }

    @Test
    void andockPullsThroughItsRegistryMirrorsSetting() throws Exception {
        Path root = Files.createTempDirectory("andock-hub-engine");
        var opts = io.andock.registry.RegistryOptions.defaults().withMirrors(Map.of("docker.io", List.of(hub.url())));
        try (io.andock.engine.Engine engine = io.andock.engine.Engine.open(new io.andock.engine.EngineConfig(root.resolve("root"),
                root.resolve("config"), opts, io.andock.engine.EngineConfig.DEFAULT_MAX_LAYER_BYTES))) {
            var rec = engine.images().pull("busybox:latest", null, null);
            assertThat(rec.target().digest().toString()).isEqualTo(Fixtures.manifestDigest("busybox", "latest"));
        } finally {
            io.andock.os.FileTrees.removeTree(root);
        }
    }

    @Test
    void concurrentPullsOfAnUncachedBlobMakeOneUpstreamFetch() throws Exception {
        // the arm64 layer: no other test pulls it
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Fixtures.manifest("busybox", "arm64");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) m.get("layers");
        String layer = (String) layers.get(0).get("digest");
        String path = "/v2/library/busybox/blobs/" + layer;
        long before = upstreamGets(path);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Digest>> got = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Callable<Digest> c = () -> {
                    HttpResponse<byte[]> r = HubFixture.HTTP.send(HttpRequest.newBuilder(URI.create(hub.url() + "/v2/docker.io/library/busybox/blobs/" + layer))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(r.statusCode()).isEqualTo(200);
                    return Digest.sha256(r.body());
                };
                got.add(pool.submit(c));
            }
            for (Future<Digest> f : got) assertThat(f.get()).isEqualTo(Digest.parse(layer));
        } finally {
            pool.shutdownNow();
        }
        assertThat(upstreamGets(path) - before).as("upstream GETs of the blob; log:\n%s", upstream.log().lines()
                .filter(l -> l.contains("blobs")).limit(5).toList()).isEqualTo(1);
        // and now it is a cache hit
        assertThat(hub.send("GET", "/v2/docker.io/library/busybox/blobs/" + layer, null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(upstreamGets(path) - before).isEqualTo(1);
    }

    @Test
    void anUpstreamThatSendsWrongBytesNeverPoisonsTheCache() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Fixtures.manifest("busybox", "armv7");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) m.get("layers");
        String layer = (String) layers.get(0).get("digest");
        upstream.corruptBlob(layer);
        HttpResponse<byte[]> r;
        try {
            r = HubFixture.HTTP.send(HttpRequest.newBuilder(URI.create(hub.url() + "/v2/docker.io/library/busybox/blobs/" + layer))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            // a transfer cut short: never the whole (wrong) blob
            assertThat(r.body().length).isLessThan(((Number) layers.get(0).get("size")).intValue());
        } catch (java.io.IOException e) {
            // the connection was cut: what a client must see
        }
        assertThat(hub.hub.registry().storage().statBlob(Digest.parse(layer))).as("nothing cached").isEmpty();
        assertThat(hub.send("HEAD", "/v2/docker.io/library/busybox/blobs/" + layer, null, Map.of()).statusCode()).isEqualTo(200); // upstream still has it
    }

    @Test
    void mirroredBlobsBeyondMaxBytesAreEvictedLeastRecentlyUsedFirst() throws Exception {
        String a = layerOf("amd64"), b = layerOf("arm64");
        long sizeA = Fixtures.blob("busybox", a).length, sizeB = Fixtures.blob("busybox", b).length;
        HubConfig.Upstream up = new HubConfig.Upstream("docker.io", URI.create("http://" + upstream.host()), "mirror", "mirror-pw");
        // room for the larger of the two, not for both
        long max = Math.max(sizeA, sizeB) + 1;
        try (HubFixture h = HubFixture.start(c -> c.withMirroring(new HubConfig.Mirroring(List.of(up), 300, max)))) {
            assertThat(h.send("GET", "/v2/docker.io/library/busybox/blobs/" + a, null, Map.of()).statusCode()).isEqualTo(200);
            waitStored(h, Digest.parse(a));
            Thread.sleep(20);
            assertThat(h.send("GET", "/v2/docker.io/library/busybox/blobs/" + b, null, Map.of()).statusCode()).isEqualTo(200);
            waitStored(h, Digest.parse(b));
            long deadline = System.currentTimeMillis() + 10_000;
            while (h.hub.registry().storage().statBlob(Digest.parse(a)).isPresent() && System.currentTimeMillis() < deadline) Thread.sleep(50);
            assertThat(h.hub.registry().storage().statBlob(Digest.parse(a))).as("the least recently used goes").isEmpty();
            assertThat(h.hub.registry().storage().statBlob(Digest.parse(b))).isPresent();
            // asked for again, it comes back from upstream
            HttpResponse<byte[]> again = HubFixture.HTTP.send(HttpRequest.newBuilder(URI.create(h.url() + "/v2/docker.io/library/busybox/blobs/" + a))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(Digest.sha256(again.body())).isEqualTo(Digest.parse(a));
            assertThat(h.send("GET", "/metrics", null, Map.of()).body()).contains("andock_hub_mirror_evicted_total");
        }
    }

    static String layerOf(String tag) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) Fixtures.manifest("busybox", tag).get("layers");
        return (String) layers.get(layers.size() - 1).get("digest");
    }

    static void waitStored(HubFixture h, Digest d) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (h.hub.registry().storage().statBlob(d).isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(20);
    }

    @Test
    void anUpstreamThatHangsIsAnErrorInBoundedTime() throws Exception {
        try (java.net.ServerSocket hang = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(hang.accept()); // read nothing, answer nothing
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            HubConfig.Upstream up = new HubConfig.Upstream("quay.io", URI.create("http://127.0.0.1:" + hang.getLocalPort()), null, null);
            try (HubFixture h = HubFixture.start(c -> c.withMirroring(new HubConfig.Mirroring(List.of(up), 0))
                    .withLimits(new HubConfig.Limits(4L << 20, 1L << 40, 1000, 2, 4096, 1800, 64)))) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = h.send("GET", "/v2/quay.io/team/app/manifests/1", null, Map.of());
                long s = (System.nanoTime() - t0) / 1_000_000_000;
                assertThat(r.statusCode()).isEqualTo(502);
                assertThat(r.body()).contains("quay.io");
                assertThat(s).as("seconds until the error").isLessThan(20);
                assertThat(h.send("GET", "/v2/", null, Map.of()).statusCode()).isEqualTo(200);
            } finally {
                for (java.net.Socket so : held) so.close();
            }
        }
    }

    @Test
    void aTagIsServedStaleWhileTheUpstreamIsDown() throws Exception {
        // a second upstream, stopped after the first pull
        TestRegistry second = TestRegistry.builder().start();
        second.push(List.of(new Fixtures.Image("busybox", "latest", "team/app:1", List.of(), false)));
        HubConfig.Upstream up = new HubConfig.Upstream("ghcr.io", URI.create("http://" + second.host()), null, null);
        try (HubFixture h = HubFixture.start(c -> c.withMirroring(new HubConfig.Mirroring(List.of(up), 0)))) {
            HttpResponse<String> first = h.send("GET", "/v2/ghcr.io/team/app/manifests/1", null, Map.of());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Warning")).isEmpty();
            second.close();
            HttpResponse<String> stale = h.send("GET", "/v2/ghcr.io/team/app/manifests/1", null, Map.of());
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(stale.body()).isEqualTo(first.body());
            assertThat(stale.headers().firstValue("Warning")).hasValueSatisfying(w -> assertThat(w).contains("Stale"));
            // what was never cached is an error, not a hang
            HttpResponse<String> never = h.send("GET", "/v2/ghcr.io/team/other/manifests/1", null, Map.of());
            assertThat(never.statusCode()).isEqualTo(502);
        } finally {
            second.close();
        }
    }
}
