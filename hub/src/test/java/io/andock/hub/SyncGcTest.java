package io.andock.hub;

import io.andock.hub.storage.HubStorage;
import io.andock.hub.storage.SeaweedFs;
import io.andock.image.Digest;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gc removes the sync metadata of layers that are gone (index and recipe, diff_id, the deltas from or to their
 * contents, packs with their plans and markers) and keeps a live layer's, on the local storage and on S3.
 */
@Tag("registry")
class SyncGcTest {
    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";

    @Test
    void localStorage() throws Exception {
        removesTheSyncMetadataOfLayersGone(c -> c);
    }

    @Test
    void s3() throws Exception {
        SeaweedFs s3 = SeaweedFs.shared();
        HubConfig.S3 bucket = new HubConfig.S3(s3.endpoint, SeaweedFs.BUCKET, "us-east-1", SeaweedFs.ACCESS_KEY, SeaweedFs.SECRET_KEY, s3.prefix());
        removesTheSyncMetadataOfLayersGone(c -> c.withS3(bucket));
    }

    private static void removesTheSyncMetadataOfLayersGone(UnaryOperator<HubConfig> storage) throws Exception {
        Path dir = Files.createTempDirectory("andock-hub-syncgc");
        try (HubFixture h = HubFixture.start(storage)) {
            HubStorage s = h.hub.registry().storage();
            // two versions of a layer: one file changed a little (a delta), one the same
            byte[] conf = new byte[8192];
            new Random(14).nextBytes(conf);
            byte[] oldLayer = tar(dir.resolve("v1"), conf, false);
            byte[] otherLayer = tar(dir.resolve("other"), conf, true); // the old content in another layer
            conf[100] ^= 1;
            conf[5000] ^= 1;
            byte[] newLayer = tar(dir.resolve("v2"), conf, false);
            Digest oldD = image(h, "1", oldLayer), newD = image(h, "2", newLayer), otherD = image(h, "3", otherLayer);
            Digest oldDiff = Digest.sha256(oldLayer), newDiff = Digest.sha256(newLayer);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (s.children("sync/diffids").size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            byte[] plan = ("{\"layer\":\"" + newD + "\",\"have\":[\"" + oldDiff + "\"]}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = h.send("POST", "/v2/_andock/sync/gc/sync/plan", plan, Map.of("Content-Type", "application/json"));
            assertThat(r.body()).contains("\"pack\"");
            String pack = r.body().replaceAll(".*\"pack\":\"sha256:([0-9a-f]+)\".*", "$1");
            assertThat(s.children("sync/layers/sha256")).containsExactlyInAnyOrder(oldD.hex(), newD.hex(), otherD.hex());
            assertThat(s.children("sync/diffids")).contains(oldDiff.hex(), newDiff.hex()).hasSize(3);
            assertThat(s.children("sync/deltas")).hasSize(1);
            assertThat(s.children("sync/plans")).hasSize(1);
            assertThat(s.children("sync/packs/gc/sync")).containsExactly(pack);

            // within the grace time nothing goes
            assertThat(HubGc.run(h.hub.registry(), Duration.ofHours(1)).syncKeys()).isZero();
            assertThat(s.children("sync/deltas")).hasSize(1);

            // the old image goes: its layer's index and diff_id, the pack and what names it; the delta stays, its old
            // content being in a live layer too
            assertThat(h.send("DELETE", "/v2/gc/sync/manifests/1", null, Map.of()).statusCode()).isEqualTo(202);
            HubGc.Report rep = HubGc.run(h.hub.registry(), Duration.ZERO);
            assertThat(s.statBlob(oldD)).isEmpty();
            assertThat(rep.syncKeys()).as(rep.toString()).isEqualTo(4);
            assertThat(s.children("sync/layers/sha256")).containsExactlyInAnyOrder(newD.hex(), otherD.hex());
            assertThat(s.children("sync/diffids")).doesNotContain(oldDiff.hex()).hasSize(2);
            assertThat(s.children("sync/deltas")).hasSize(1);
            assertThat(s.children("sync/plans")).isEmpty();
            assertThat(s.children("sync/packs/gc/sync")).isEmpty();

            // the last layer holding the old content goes: the delta with it
            assertThat(h.send("DELETE", "/v2/gc/sync/manifests/3", null, Map.of()).statusCode()).isEqualTo(202);
            rep = HubGc.run(h.hub.registry(), Duration.ZERO);
            assertThat(rep.syncKeys()).as(rep.toString()).isEqualTo(3);
            assertThat(s.children("sync/layers/sha256")).containsExactly(newD.hex());
            assertThat(s.children("sync/diffids")).containsExactly(newDiff.hex());
            assertThat(s.children("sync/deltas")).isEmpty();
            assertThat(HubGc.run(h.hub.registry(), Duration.ZERO).syncKeys()).isZero();

            // the live layer still syncs, from the index gc kept
            byte[] again = ("{\"layer\":\"" + newD + "\",\"have\":[\"" + newDiff + "\"]}").getBytes(StandardCharsets.UTF_8);
            assertThat(h.send("POST", "/v2/_andock/sync/gc/sync/plan", again, Map.of("Content-Type", "application/json")).body()).contains("\"pack\"");
        } finally {
            io.andock.os.FileTrees.removeTree(dir);
        }
    }

    /** A layer tar made by GNU tar: etc/conf and etc/same (and etc/extra). */
    private static byte[] tar(Path dir, byte[] conf, boolean extra) throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.write(dir.resolve("etc/conf"), conf);
        Files.writeString(dir.resolve("etc/same"), "the same in both versions\n".repeat(40));
        if (extra) Files.writeString(dir.resolve("etc/extra"), "only here\n");
        Cmd.run("tar", "-C", dir.toString(), "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
                "-cf", dir.resolve("layer.tar").toString(), "etc");
        return Files.readAllBytes(dir.resolve("layer.tar"));
    }

    /** Pushes an image of one layer to gc/sync:{@code tag}; returns the layer's digest. */
    private static Digest image(HubFixture h, String tag, byte[] layer) throws Exception {
        Digest diffId = Digest.sha256(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest cd = HubGcTest.blob(h, "gc/sync", config), ld = HubGcTest.blob(h, "gc/sync", layer);
        String m = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + cd + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + ld
                + "\",\"size\":" + layer.length + "}]}";
        HttpResponse<String> r = h.send("PUT", "/v2/gc/sync/manifests/" + tag, m.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", OCI));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ld;
    }
}
