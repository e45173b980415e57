package io.andock.hub;

import io.andock.hub.storage.SeaweedFs;
import io.andock.image.Digest;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pull-through mirror on S3 storage: a blob fetched once from upstream while ten clients stream it (they read
 * the fetch's local spool, then the bucket), then a whole image through skopeo, byte for byte.
 */
@Tag("registry")
class S3MirrorTest {

    @Test
    void mirrorsIntoTheBucketWithOneUpstreamFetch() throws Exception {
        Fixtures.assumeAvailable();
        SeaweedFs s3 = SeaweedFs.shared();
        HubConfig.S3 bucket = new HubConfig.S3(s3.endpoint, SeaweedFs.BUCKET, "us-east-1", SeaweedFs.ACCESS_KEY, SeaweedFs.SECRET_KEY, s3.prefix());
        try (TestRegistry upstream = TestRegistry.builder().start()) {
            upstream.push(List.of(new Fixtures.Image("busybox", "latest", "library/busybox:latest", List.of(), false)));
            HubConfig.Upstream up = new HubConfig.Upstream("docker.io", URI.create("http://" + upstream.host()), null, null);
            try (HubFixture hub = HubFixture.start(c -> c.withS3(bucket).withMirroring(new HubConfig.Mirroring(List.of(up), 300)))) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> layers = (List<Map<String, Object>>) Fixtures.manifest("busybox", "latest").get("layers");
                String layer = (String) layers.get(0).get("digest");
                String path = "/v2/library/busybox/blobs/" + layer;
                ExecutorService pool = Executors.newFixedThreadPool(10);
                try {
                    List<Future<HttpResponse<String>>> gets = new ArrayList<>();
                    for (int i = 0; i < 10; i++) gets.add(pool.submit(() -> hub.send("GET", "/v2/docker.io/library/busybox/blobs/" + layer, null, Map.of())));
                    for (Future<HttpResponse<String>> g : gets) assertThat(g.get().statusCode()).as(g.get().body()).isEqualTo(200);
                } finally {
                    pool.shutdownNow();
                }
                long fetches = upstream.log().lines().filter(l -> l.contains("\"GET " + path + " ")).count();
                assertThat(fetches).isEqualTo(1);
                HttpResponse<byte[]> again = HubFixture.HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(hub.url() + "/v2/docker.io/library/busybox/blobs/" + layer)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(Digest.sha256(again.body()).toString()).isEqualTo(layer);

                Path out = Files.createTempDirectory("andock-hub-s3-mirror");
                try {
                    HubFixture.run(List.of("skopeo", "copy", "--src-tls-verify=false", "docker://" + hub.host() + "/docker.io/library/busybox:latest", "oci:" + out + ":x")).check();
                    assertThat(Files.readString(out.resolve("index.json"))).contains(Fixtures.manifestDigest("busybox", "latest"));
                } finally {
                    io.andock.os.FileTrees.removeTree(out);
                }
            }
        }
    }
}
