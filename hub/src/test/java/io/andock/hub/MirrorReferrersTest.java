package io.andock.hub;

import io.andock.image.Digest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v2/<name>/referrers/<digest>} of a mirrored repository answers what the upstream lists (its
 * referrers API), filtered by artifact type, and what it listed last while the upstream is down. The upstream is
 * a second hub (Debian's docker-registry has no referrers API).
 */
@Tag("unit")
class MirrorReferrersTest {
    static final String SBOM = "application/vnd.example.sbom";

    @Test
    void referrersOfAMirroredImageComeFromUpstreamAndStayWhenItIsDown() throws Exception {
        HubFixture upstream = HubFixture.start();
        Digest image, signature, sbom;
        try {
            image = HubGcTest.image(upstream, "team/app", "1", "app", null);
            signature = artifact(upstream, "team/app", image, "application/vnd.example.signature");
            sbom = artifact(upstream, "team/app", image, SBOM);
        } catch (Exception | AssertionError e) {
            upstream.close();
            throw e;
        }
        HubConfig.Upstream up = new HubConfig.Upstream("up.example", URI.create(upstream.url()), null, null);
        try (HubFixture mirror = HubFixture.start(c -> c.withMirroring(new HubConfig.Mirroring(List.of(up), 0)))) {
            HttpResponse<String> all = mirror.send("GET", "/v2/up.example/team/app/referrers/" + image, null, Map.of());
            assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
            assertThat(all.headers().firstValue("Content-Type")).hasValue(Registry.OCI_INDEX);
            assertThat(all.body()).contains(signature.toString(), sbom.toString());

            HttpResponse<String> ns = mirror.send("GET", "/v2/team/app/referrers/" + image + "?ns=up.example&artifactType=" + SBOM, null, Map.of());
            assertThat(ns.statusCode()).isEqualTo(200);
            assertThat(ns.headers().firstValue("OCI-Filters-Applied")).hasValue("artifactType");
            assertThat(ns.body()).contains(sbom.toString()).doesNotContain(signature.toString());

            upstream.close();
            HttpResponse<String> stale = mirror.send("GET", "/v2/up.example/team/app/referrers/" + image, null, Map.of());
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(stale.headers().firstValue("Warning")).isPresent();
            assertThat(stale.body()).contains(signature.toString(), sbom.toString());
        } finally {
            upstream.close();
        }
    }

    /** An artifact manifest (empty config) whose subject is {@code subject}. */
    static Digest artifact(HubFixture h, String repo, Digest subject, String type) throws Exception {
        Digest empty = HubGcTest.blob(h, repo, "{}".getBytes());
        String m = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"" + type
                + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + empty + "\",\"size\":2},\"layers\":[],"
                + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + subject + "\",\"size\":1}}";
        byte[] b = m.getBytes();
        Digest d = Digest.sha256(b);
        HttpResponse<String> r = h.send("PUT", "/v2/" + repo + "/manifests/" + d, b, Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return d;
    }
}
