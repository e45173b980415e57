package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import io.andock.image.Descriptor;
import io.andock.image.Reference;
import io.andock.testkit.CuttingProxy;
import io.andock.testkit.TestRegistry;
import io.andock.transfer.RawManifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A registry that sends part of an answer and then nothing, the connection left open ({@link CuttingProxy} stalls):
 * the idle-read timeout turns the stall into a dropped connection, which is resumed or retried, and a stall on every
 * attempt ends in an error naming the registry and what was fetched, in bounded time.
 */
@Tag("registry")
class RegistryStallTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    /** Attempts × read timeout + backoff, with room for a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(40);
    static TestRegistry registry;
    static Descriptor layer;
    static byte[] layerBytes;

    @BeforeAll
    static void start() {
        registry = RegistryFixture.registry();
        layer = RegistryFixture.busyboxLayer();
        layerBytes = RegistryFixture.layoutBlob(layer.digest());
    }

    private static RegistryClient client() {
        return new RegistryClient(RegistryFixture.fastOptions().withReadTimeout(READ_TIMEOUT), CredentialStore.none());
    }

    private static byte[] readBlob(RegistryClient client, String host) throws Exception {
        try (InputStream in = client.blob(RegistryFixture.ref(host, "busybox:latest"), layer, 0)) {
            return in.readAllBytes();
        }
    }

    @Test
    void blob_stalledMidBody_resumesWithRange() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(registry.host())) {
            proxy.stallNextBlobs(100_000, 1);
            byte[] got = assertTimeoutPreemptively(BOUND, () -> readBlob(client(), proxy.host()));
            assertThat(got).isEqualTo(layerBytes);
            assertThat(proxy.stalls()).isEqualTo(1);
            assertThat(proxy.rangeHeaders()).hasSize(1);
            long from = Long.parseLong(proxy.rangeHeaders().get(0).replaceAll("[^0-9]", ""));
            assertThat(from).isBetween(1L, 100_000L);
        }
    }

    /** 0: nothing of the body; 1000: a trickle per connection, too little to count as progress. */
    @ParameterizedTest(name = "stall after {0} body bytes")
    @ValueSource(longs = {0, 1000})
    void blob_stalledOnEveryAttempt_failsNamingRegistryAndBlob_inBoundedTime(long bodyBytes) {
        try (CuttingProxy proxy = new CuttingProxy(registry.host())) {
            proxy.stallNextBlobs(bodyBytes, 1000);
            RegistryClient client = client();
            long start = System.nanoTime();
            assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> readBlob(client, proxy.host()))
                    .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
                    .hasMessageStartingWith("fetch blob " + layer.digest() + ": ")
                    .hasMessageContaining(proxy.host() + " sent no data for 1 s (read timeout)"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(READ_TIMEOUT);
            assertThat(proxy.stalls()).isEqualTo(1 + client.options().retries());
        }
    }

    @Test
    void manifest_stalledOnce_isRetried() {
        try (CuttingProxy proxy = new CuttingProxy(registry.host())) {
            proxy.stallNextManifests(10, 1);
            Reference ref = RegistryFixture.ref(proxy.host(), "busybox:latest");
            RawManifest m = assertTimeoutPreemptively(BOUND, () -> client().manifest(ref));
            assertThat(m.bytes()).isNotEmpty();
            assertThat(proxy.stalls()).isEqualTo(1);
        }
    }

    @Test
    void manifest_stalledOnEveryAttempt_failsNamingRegistryAndManifest_inBoundedTime() {
        try (CuttingProxy proxy = new CuttingProxy(registry.host())) {
            proxy.stallNextManifests(10, 1000);
            Reference ref = RegistryFixture.ref(proxy.host(), "busybox:latest");
            assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> client().manifest(ref))
                    .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
                    .hasMessage("fetch manifest busybox:latest: " + proxy.host() + " sent no data for 1 s (read timeout)"));
        }
    }
}
