package io.andock.registry;

import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Manifest;
import io.andock.image.Reference;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

/** Shared bits of the registry integration tests: one registry with the busybox images, fast retries. */
final class RegistryFixture {
    static final String[] BUSYBOX = {"busybox:latest", "busybox:multiarch", "busybox:v2s2", "busybox:multiarch-v2s2"};
    private static TestRegistry registry;

    private RegistryFixture() {
    }

    /** A registry without auth holding {@link #BUSYBOX}; started once per JVM (the JVM's exit stops it). */
    static synchronized TestRegistry registry() {
        Fixtures.assumeAvailable();
        if (registry == null) {
            TestRegistry r = TestRegistry.start();
            Runtime.getRuntime().addShutdownHook(new Thread(r::stop));
            r.push(BUSYBOX);
            registry = r;
        }
        return registry;
    }

    /** Retries with a 10 ms first backoff, so tests that provoke them stay fast. */
    static RegistryOptions fastOptions() {
        return RegistryOptions.defaults().withRetries(3, Duration.ofMillis(10))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    static RegistryClient anonymousClient() {
        return new RegistryClient(fastOptions(), CredentialStore.none());
    }

    static Reference ref(String host, String repoTag) {
        return Reference.parse(host + "/" + repoTag);
    }

    /** The single layer of busybox:latest (amd64), as the fixture layout describes it. */
    static Descriptor busyboxLayer() {
        String digest = Fixtures.manifestDigest("busybox", "latest");
        Manifest m = Manifest.parse(Fixtures.blob("busybox", digest), null);
        return m.layers().get(0);
    }

    static byte[] layoutBlob(Digest d) {
        return Fixtures.blob("busybox", d.toString());
    }

    /** A loopback port nothing listens on (bound, then released). */
    static int deadPort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
