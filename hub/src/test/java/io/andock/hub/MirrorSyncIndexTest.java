package io.andock.hub;

import io.andock.image.ImageConfig;
import io.andock.image.Manifest;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mirrored layers are indexed for sync as they arrive, like pushed ones: after a plain client's pull through the
 * mirror (skopeo, upstream Debian's docker-registry), the layer's index is there before any device asks, and a
 * device's first plan gets a pack.
 */
@Tag("registry")
class MirrorSyncIndexTest {

    @Test
    void aMirroredLayerIsIndexedInTheBackground_soTheFirstSyncGetsAPack() throws Exception {
        Fixtures.assumeAvailable();
        try (TestRegistry upstream = TestRegistry.builder().start()) {
            upstream.push(List.of(new Fixtures.Image("busybox", "latest", "library/busybox:latest", List.of(), false)));
            HubConfig.Upstream up = new HubConfig.Upstream("docker.io", URI.create("http://" + upstream.host()), null, null);
            try (HubFixture hub = HubFixture.start(c -> c.withMirroring(new HubConfig.Mirroring(List.of(up), 300)))) {
                Manifest m = Manifest.parse(Fixtures.blob("busybox", Fixtures.manifestDigest("busybox", "latest")), null);
                String layer = m.layers().get(0).digest().toString();
                String diffId = ImageConfig.parse(Fixtures.blob("busybox", m.config().digest().toString())).diffIds().get(0).toString();
                String index = "sync/layers/" + layer.replace(':', '/');
                assertThat(hub.hub.registry().storage().stat(index)).isEmpty();

                Path out = Files.createTempDirectory("andock-hub-mirror-index");
                try {
                    HubFixture.run(List.of("skopeo", "copy", "-q", "--src-tls-verify=false",
                            "docker://" + hub.host() + "/docker.io/library/busybox:latest", "oci:" + out + ":x")).check();
                } finally {
                    io.andock.os.FileTrees.removeTree(out);
                }
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (hub.hub.registry().storage().stat(index).isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
                assertThat(hub.hub.registry().storage().stat(index)).as("index of the mirrored layer").isPresent();
                assertThat(hub.hub.registry().storage().get("sync/diffids/" + diffId.substring(7))).isPresent();

                byte[] plan = ("{\"layer\":\"" + layer + "\",\"have\":[\"" + diffId + "\"]}").getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> r = hub.send("POST", "/v2/_andock/sync/docker.io/library/busybox/plan", plan, Map.of("Content-Type", "application/json"));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).contains("\"pack\":\"sha256:").doesNotContain("whole");
            }
        }
    }
}
