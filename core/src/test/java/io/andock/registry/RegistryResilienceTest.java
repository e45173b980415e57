package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.testkit.CuttingProxy;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import io.andock.transfer.RawManifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dropped connections, 503s and 429s on real sockets in front of a real registry. */
class RegistryResilienceTest {
    static TestRegistry registry;
    static Descriptor layer;
    static byte[] layerBytes;

    @BeforeAll
    static void start() {
        registry = RegistryFixture.registry();
        layer = RegistryFixture.busyboxLayer();
        layerBytes = RegistryFixture.layoutBlob(layer.digest());
    }

    private static byte[] readBlob(RegistryClient client, String host, long offset) throws Exception {
        try (InputStream in = client.blob(RegistryFixture.ref(host, "busybox:latest"), layer, offset)) {
            return in.readAllBytes();
        }
    }

    @Test
    void blob_resumesWithRange_afterDroppedConnection() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(registry.host())) {
            proxy.cutNextBlob(100_000);
            byte[] got = readBlob(RegistryFixture.anonymousClient(), proxy.host(), 0);

            assertThat(Digest.sha256(got)).isEqualTo(layer.digest());
            assertThat(got).isEqualTo(layerBytes);
            assertThat(proxy.cuts()).isEqualTo(1);
            assertThat(proxy.rangeHeaders()).containsExactly("bytes=100000-");
        }
    }

    @Test
    void blob_resumesSeveralTimes_fromAnOffset() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(registry.host())) {
            proxy.cutNextBlobs(200_000, 3);
            byte[] got = readBlob(RegistryFixture.anonymousClient(), proxy.host(), 5_000);

            assertThat(got).isEqualTo(Arrays.copyOfRange(layerBytes, 5_000, layerBytes.length));
            // each resume starts where the bytes delivered so far end: at most 200 000 further (the JDK client may
            // lose what it had buffered when the connection broke), never before
            List<Long> starts = proxy.rangeHeaders().stream()
                    .map(r -> Long.parseLong(r.substring("bytes=".length(), r.length() - 1))).toList();
            assertThat(starts).hasSize(4).startsWith(5_000L).isSorted();
            for (int i = 1; i < starts.size(); i++) assertThat(starts.get(i) - starts.get(i - 1)).isBetween(1L, 200_000L);
        }
    }

    @Test
    void blob_serverIgnoringRange_answers200_alreadyDeliveredBytesSkipped() throws Exception {
        try (CuttingProxy cutter = new CuttingProxy(registry.host());
             FlakyFront noRanges = new FlakyFront(cutter.host()).ignoreRange()) {
            cutter.cutNextBlob(300_000);
            byte[] got = readBlob(RegistryFixture.anonymousClient(), noRanges.host(), 0);

            assertThat(got).isEqualTo(layerBytes);
            // the resume asks from the bytes that arrived: up to the cut, fewer when the front proxy had not passed
            // them all on before the cut reached it (a loaded machine)
            String resume = noRanges.log().stream().filter(l -> l.contains("[bytes=")).findFirst().orElseThrow();
            assertThat(resume).startsWith("fwd GET /v2/busybox/blobs/" + layer.digest() + " [bytes=");
            long from = Long.parseLong(resume.substring(resume.indexOf("[bytes=") + 7, resume.indexOf("-]")));
            assertThat(from).isBetween(1L, 300_000L);
            assertThat(cutter.rangeHeaders()).isEmpty();
        }
    }

    @Test
    void blob_givesUp_whenEveryResumeIsCutWithoutProgress() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(registry.host())) {
            proxy.cutNextBlobs(0, 100);
            RegistryClient client = RegistryFixture.anonymousClient();
            assertThatThrownBy(() -> readBlob(client, proxy.host(), 0))
                    .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
                    .hasMessageStartingWith("fetch blob " + layer.digest() + ": connection dropped at byte 0 of " + layer.size());
            assertThat(proxy.cuts()).isEqualTo(1 + client.options().retries());
        }
    }

    @Test
    void manifest_retriedAfter503_withBackoff() throws Exception {
        try (FlakyFront front = new FlakyFront(registry.host())) {
            front.failNext(2, 503, null);
            RawManifest m = RegistryFixture.anonymousClient().manifest(RegistryFixture.ref(front.host(), "busybox:latest"));

            assertThat(m.digest().toString()).isEqualTo(Fixtures.manifestDigest("busybox", "latest"));
            assertThat(front.log()).containsExactly(
                    "503 GET /v2/busybox/manifests/latest",
                    "503 GET /v2/busybox/manifests/latest",
                    "fwd GET /v2/busybox/manifests/latest");
        }
    }

    @Test
    void retries_honour429RetryAfter_andGiveUpAfterTheLimit() throws Exception {
        try (FlakyFront front = new FlakyFront(registry.host())) {
            front.failNext(1, 429, "1");
            long start = System.nanoTime();
            RegistryFixture.anonymousClient().manifest(RegistryFixture.ref(front.host(), "busybox:latest"));
            assertThat((System.nanoTime() - start) / 1_000_000).as("waited as asked").isGreaterThanOrEqualTo(950);

            front.failNext(10, 503, null);
            RegistryClient client = RegistryFixture.anonymousClient();
            assertThatThrownBy(() -> client.manifest(RegistryFixture.ref(front.host(), "busybox:latest")))
                    .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
                    .hasMessage("flaky front says 503");
            assertThat(front.count("503 ")).isEqualTo(1 + client.options().retries());
        }
    }

    @Test
    void notRetried_on404() throws Exception {
        try (FlakyFront front = new FlakyFront(registry.host())) {
            Reference nope = RegistryFixture.ref(front.host(), "busybox:nope");
            assertThatThrownBy(() -> RegistryFixture.anonymousClient().manifest(nope))
                    .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
            assertThat(front.log()).hasSize(1);
        }
    }
}
