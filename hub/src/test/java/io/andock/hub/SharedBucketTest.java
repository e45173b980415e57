package io.andock.hub;

import io.andock.hub.storage.SeaweedFs;
import io.andock.image.Digest;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hub processes on one S3 bucket (SeaweedFS), as replicas behind one address: an image pushed through one
 * (skopeo) is pulled through the other; a chunked upload whose PATCH requests alternate between them completes;
 * gc through the second removes what the first's deleted tag left. No other database: the bucket is all they share.
 */
@Tag("registry")
class SharedBucketTest {

    static String config(Path dir, SeaweedFs s3, String prefix) throws Exception {
        Path f = dir.resolve("hub.json");
        Files.writeString(f, "{\"root\": \"" + dir.resolve("root") + "\", \"addr\": \"127.0.0.1:0\", \"storage\": {\"s3\": {\"endpoint\": \""
                + s3.endpoint + "\", \"bucket\": \"" + SeaweedFs.BUCKET + "\", \"prefix\": \"" + prefix + "\", \"access-key\": \""
                + SeaweedFs.ACCESS_KEY + "\", \"secret-key\": \"" + SeaweedFs.SECRET_KEY + "\"}}}");
        return f.toString();
    }

    static String skopeo(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("skopeo"));
        cmd.addAll(List.of(args));
        return HubFixture.run(cmd).check().stdout();
    }

    @Test
    void pushThroughOneReplicaPullAndGcThroughTheOther() throws Exception {
        Fixtures.assumeAvailable();
        SeaweedFs s3 = SeaweedFs.shared();
        String prefix = s3.prefix();
        Path dir = Files.createTempDirectory("andock-hub-shared");
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        KillRestartTest.Child a = KillRestartTest.startHub(List.of("--config", config(dir.resolve("a"), s3, prefix)));
        KillRestartTest.Child b = null;
        try {
            b = KillRestartTest.startHub(List.of("--config", config(dir.resolve("b"), s3, prefix)));
            String hostA = a.url().substring("http://".length()), hostB = b.url().substring("http://".length());

            // skopeo pushes through A, pulls through B: byte for byte
            String want = Fixtures.manifestDigest("busybox", "latest");
            skopeo("copy", "--dest-tls-verify=false", "oci:" + Fixtures.layout("busybox") + ":latest", "docker://" + hostA + "/team/app:1");
            assertThat(skopeo("inspect", "--raw", "--tls-verify=false", "docker://" + hostB + "/team/app:1"))
                    .isEqualTo(new String(Fixtures.blob("busybox", want)));
            Path out = dir.resolve("pulled");
            skopeo("copy", "--src-tls-verify=false", "docker://" + hostB + "/team/app:1", "oci:" + out + ":x");
            assertThat(Files.readString(out.resolve("index.json"))).contains(want);

            // one upload, its chunks alternating between the replicas
            byte[] layer = new byte[3 << 20];
            new Random(13).nextBytes(layer);
            Digest ld = Digest.sha256(layer);
            String loc = KillRestartTest.send(a.url(), "POST", "/v2/team/chunked/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
            int chunk = 1 << 20;
            for (int off = 0, i = 0; off < layer.length; off += chunk, i++) {
                String url = i % 2 == 0 ? a.url() : b.url();
                HttpResponse<byte[]> r = KillRestartTest.send(url, "PATCH", loc, Arrays.copyOfRange(layer, off, off + chunk),
                        "Content-Range", off + "-" + (off + chunk - 1));
                assertThat(r.statusCode()).as("PATCH %d through %s: %s", i, url, new String(r.body())).isEqualTo(202);
                assertThat(r.headers().firstValue("Range")).hasValue("0-" + (off + chunk - 1));
                loc = r.headers().firstValue("Location").orElseThrow();
            }
            // before it completes, neither replica shows the blob
            assertThat(KillRestartTest.send(a.url(), "HEAD", "/v2/team/chunked/blobs/" + ld, null).statusCode()).isEqualTo(404);
            HttpResponse<byte[]> put = KillRestartTest.send(b.url(), "PUT", loc + "?digest=" + ld, null);
            assertThat(put.statusCode()).as(new String(put.body())).isEqualTo(201);
            HttpResponse<byte[]> got = KillRestartTest.send(a.url(), "GET", "/v2/team/chunked/blobs/" + ld, null);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(Digest.sha256(got.body())).isEqualTo(ld);

            // the tag deleted through A, gc through B's configuration: A no longer serves what only it named
            assertThat(KillRestartTest.send(a.url(), "DELETE", "/v2/team/app/manifests/" + want, null).statusCode()).isEqualTo(202);
            HubConfig cb = HubConfig.load(dir.resolve("b/hub.json"));
            HubGc.Report rep = HubGc.run(new Registry(Hub.openStorage(cb), cb.limits(), false), Duration.ZERO);
            assertThat(rep.blobs()).as(rep.toString()).isGreaterThanOrEqualTo(2);
            assertThat(KillRestartTest.send(a.url(), "GET", "/v2/team/app/manifests/" + want, null).statusCode()).isEqualTo(404);
            assertThat(KillRestartTest.send(b.url(), "GET", "/v2/team/chunked/blobs/" + ld, null).statusCode()).isEqualTo(404);
        } finally {
            a.process().destroy();
            if (b != null) b.process().destroy();
            a.process().waitFor();
            if (b != null) b.process().waitFor();
            io.andock.os.FileTrees.removeTree(dir);
        }
    }
}
