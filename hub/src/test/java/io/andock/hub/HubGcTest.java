package io.andock.hub;

import io.andock.image.Digest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** gc keeps what tags reach (and their referrers), removes the rest past the grace time, leaves uploads alone. */
@Tag("unit")
class HubGcTest {
    static final String OCI = "application/vnd.oci.image.manifest.v1+json";

    static Digest blob(HubFixture h, String repo, byte[] b) throws Exception {
        Digest d = Digest.sha256(b);
        assertThat(h.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, b, Map.of()).statusCode()).isEqualTo(201);
        return d;
    }

    static Digest image(HubFixture h, String repo, String ref, String seed, Digest subject) throws Exception {
        byte[] config = ("{\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer " + seed).getBytes(StandardCharsets.UTF_8);
        Digest cd = blob(h, repo, config), ld = blob(h, repo, layer);
        String m = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + cd + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + ld
                + "\",\"size\":" + layer.length + "}]" + (subject == null ? "" : ",\"subject\":{\"mediaType\":\"" + OCI + "\",\"digest\":\"" + subject + "\",\"size\":1}") + "}";
        byte[] mb = m.getBytes(StandardCharsets.UTF_8);
        Digest md = Digest.sha256(mb);
        HttpResponse<String> r = h.send("PUT", "/v2/" + repo + "/manifests/" + (ref == null ? md.toString() : ref), mb, Map.of("Content-Type", OCI));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return md;
    }

    @Test
    void keepsWhatTagsReachAndRemovesTheRest() throws Exception {
        try (HubFixture h = HubFixture.start()) {
            Digest kept = image(h, "gc/app", "1", "kept", null);
            Digest sbom = image(h, "gc/app", null, "sbom", kept); // untagged, but refers to a live manifest
            Digest dropped = image(h, "gc/app", "2", "dropped", null);
            assertThat(h.send("DELETE", "/v2/gc/app/manifests/2", null, Map.of()).statusCode()).isEqualTo(202);
            Digest orphan = blob(h, "gc/other", "orphan".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> up = h.send("POST", "/v2/gc/app/blobs/uploads/", null, Map.of());
            String loc = up.headers().firstValue("Location").orElseThrow();
            assertThat(h.send("PATCH", loc, "half".getBytes(), Map.of("Content-Range", "0-3")).statusCode()).isEqualTo(202);

            HubGc.Report none = HubGc.run(h.hub.registry(), Duration.ofHours(1));
            assertThat(none).isEqualTo(new HubGc.Report(0, 0, 0, 0, 0));

            HubGc.Report r = HubGc.run(h.hub.registry(), Duration.ZERO);
            assertThat(r.manifests()).isEqualTo(1);
            assertThat(r.blobs()).isGreaterThanOrEqualTo(4); // dropped's manifest, config and layer, the orphan
            assertThat(h.send("GET", "/v2/gc/app/manifests/1", null, Map.of()).statusCode()).isEqualTo(200);
            assertThat(h.send("GET", "/v2/gc/app/manifests/" + sbom, null, Map.of()).statusCode()).isEqualTo(200);
            assertThat(h.send("GET", "/v2/gc/app/referrers/" + kept, null, Map.of()).body()).contains(sbom.toString());
            assertThat(h.send("GET", "/v2/gc/app/manifests/" + dropped, null, Map.of()).statusCode()).isEqualTo(404);
            assertThat(h.hub.registry().storage().statBlob(dropped)).isEmpty();
            assertThat(h.hub.registry().storage().statBlob(orphan)).isEmpty();
            // the upload in progress goes on
            byte[] rest = "done".getBytes();
            assertThat(h.send("PUT", loc + "?digest=" + Digest.sha256("halfdone".getBytes()), rest, Map.of("Content-Range", "4-7")).statusCode()).isEqualTo(201);
            assertThat(HubGc.status(h.hub.registry())).contains("repositories: 1").contains("tags: 1"); // gc/other held only the orphan
        }
    }
}
