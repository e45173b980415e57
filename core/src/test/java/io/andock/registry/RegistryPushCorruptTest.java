package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.image.Reference;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import io.andock.transfer.BlobOpener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static io.andock.registry.PushFixture.layout;
import static io.andock.registry.PushFixture.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Blobs that are not what they claim: refused by the copy's own check, and by the registry (DIGEST_INVALID). */
class RegistryPushCorruptTest {
    TestRegistry target;
    RegistryClient client = RegistryFixture.anonymousClient();

    @BeforeEach
    void start() {
        Fixtures.assumeAvailable();
        target = TestRegistry.start();
    }

    @AfterEach
    void stop() {
        if (target != null) target.close();
    }

    /** 600 KiB whose descriptor claims the digest of other bytes; the opener does not verify. */
    static final byte[] BYTES = new byte[600 * 1024];
    static final Descriptor LIE = new Descriptor(MediaTypes.OCI_LAYER_GZIP,
            Digest.sha256("something else".getBytes(StandardCharsets.UTF_8)), BYTES.length);
    static final BlobOpener RAW = (off, st) -> new ByteArrayInputStream(BYTES, (int) off, BYTES.length - (int) off);

    private void assertRegistryRejects(boolean chunked) {
        Reference to = RegistryFixture.ref(target.host(), "lies/blob:latest");
        RegistryTransport t = client.transport();
        UploadSession s = BlobUploader.start(t, client.pushEndpoints(to), to);
        assertThatThrownBy(() -> {
            if (chunked) BlobUploader.chunked(t, client.pushEndpoints(to), to, s, LIE, RAW, 256 * 1024, p -> { });
            else BlobUploader.monolithic(t, client.pushEndpoints(to), to, s, LIE, RAW, p -> { });
        }).isInstanceOfSatisfying(AndockException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
            assertThat(e.getMessage()).startsWith("registry rejected the upload of " + LIE.digest())
                    .containsIgnoringCase("digest");
        });
        assertThat(target.log()).contains("DIGEST_INVALID".toLowerCase().replace('_', ' '));
        assertThat(BlobChecker.exists(t, client.pushEndpoints(to), to, LIE.digest())).isFalse();
    }

    @Test
    void monolithicUpload_registryRefusesWrongDigest_corrupt() {
        assertRegistryRejects(false);
    }

    @Test
    void chunkedUpload_registryRefusesWrongDigest_corrupt() {
        assertRegistryRejects(true);
    }

    @Test
    void push_blobNotMatchingItsDigest_failsCorrupt_andTheRegistryKeepsNothing() {
        Reference to = RegistryFixture.ref(target.host(), "evil/bad:digest");
        assertThatThrownBy(() -> push(client, layout("evil-raw", "bad-digest"), to, PushOptions.defaults()))
                .isInstanceOfSatisfying(AndockException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
                    assertThat(e.getMessage()).containsAnyOf("digest mismatch", "size");
                });
        assertThat(target.status("/v2/evil/bad/manifests/digest")).isEqualTo(404);
    }

    @Test
    void push_chunked_blobNotMatchingItsDigest_failsCorrupt() {
        Reference to = RegistryFixture.ref(target.host(), "evil/bad:chunked");
        assertThatThrownBy(() -> push(client, layout("evil-raw", "bad-digest"), to,
                PushOptions.defaults().withChunking(0, 64 * 1024)))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT));
        assertThat(target.status("/v2/evil/bad/manifests/chunked")).isEqualTo(404);
    }
}
