package io.andock.hub;

import io.andock.image.Digest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a hub (its own JVM) during 20 pushes, then a restart on the same root: every push that completed is
 * intact, no partial blob is visible, every stored blob holds what it is named, and no scratch file is left.
 */
@Tag("unit")
class KillRestartTest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Child(Process process, String url) {}

    static Child startHub(Path root) throws Exception {
        return startHub(List.of("--root", root.toString(), "--addr", "127.0.0.1:0"));
    }

    /** A hub in a JVM of its own, with these HubMain arguments. */
    static Child startHub(List<String> args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"), "io.andock.hub.HubMain"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (String line; (line = r.readLine()) != null; ) {
            if (line.startsWith("andock hub listening on ")) {
                Thread drain = new Thread(() -> {
                    try {
                        r.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the child is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Child(p, line.substring("andock hub listening on ".length()).trim());
            }
            if (System.nanoTime() > deadline) break;
        }
        p.destroyForcibly();
        throw new IllegalStateException("the hub did not start");
    }

    static HttpResponse<byte[]> send(String url, String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** One image: a random layer pushed in 256 KiB chunks, a config, a manifest. Returns the manifest's bytes once pushed. */
    static byte[] push(String url, int i) throws Exception {
        byte[] layer = new byte[(2 + i % 5) << 20];
        new java.util.Random(i).nextBytes(layer);
        Digest ld = Digest.sha256(layer);
        String repo = "/v2/kill/app" + i;
        String loc = send(url, "POST", repo + "/blobs/uploads/", null).headers().firstValue("Location").orElseThrow();
        int chunk = 256 << 10;
        for (int off = 0; off < layer.length; off += chunk) {
            int end = Math.min(off + chunk, layer.length);
            HttpResponse<byte[]> r = send(url, "PATCH", loc, Arrays.copyOfRange(layer, off, end), "Content-Range", off + "-" + (end - 1));
            if (r.statusCode() != 202) throw new IllegalStateException("PATCH " + r.statusCode());
            loc = r.headers().firstValue("Location").orElseThrow();
            Thread.sleep(5);
        }
        if (send(url, "PUT", loc + "?digest=" + ld, null).statusCode() != 201) throw new IllegalStateException("PUT layer");
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
        Digest cd = Digest.sha256(config);
        if (send(url, "POST", repo + "/blobs/uploads/?digest=" + cd, config).statusCode() != 201) throw new IllegalStateException("config");
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + cd + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + ld + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = send(url, "PUT", repo + "/manifests/1", manifest, "Content-Type", "application/vnd.oci.image.manifest.v1+json");
        if (r.statusCode() != 201) throw new IllegalStateException("manifest " + r.statusCode());
        return manifest;
    }

    @Test
    void killDuringTwentyPushesThenRestart() throws Exception {
        Path root = Files.createTempDirectory("andock-hub-kill");
        Child hub = startHub(root);
        Map<Integer, byte[]> done = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            for (int i = 0; i < 20; i++) {
                int n = i;
                pool.submit(() -> {
                    try {
                        done.put(n, push(hub.url(), n));
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                });
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (done.size() < 3 && System.nanoTime() < deadline) Thread.sleep(20);
            hub.process().destroyForcibly(); // SIGKILL
            hub.process().waitFor();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
            hub.process().destroyForcibly();
        }
        assertThat(done.size()).as("some pushes completed before the kill").isGreaterThanOrEqualTo(3);
        assertThat(failed.get()).as("some were cut by it").isPositive();

        Child again = startHub(root);
        try {
            for (Map.Entry<Integer, byte[]> e : done.entrySet()) {
                HttpResponse<byte[]> m = send(again.url(), "GET", "/v2/kill/app" + e.getKey() + "/manifests/1", null);
                assertThat(m.statusCode()).isEqualTo(200);
                assertThat(m.body()).isEqualTo(e.getValue());
                String s = new String(m.body(), StandardCharsets.UTF_8);
                for (String d : List.of(s.split("\"digest\":\"")).subList(1, 3)) {
                    Digest dg = Digest.parse(d.substring(0, d.indexOf('"')));
                    HttpResponse<byte[]> b = send(again.url(), "GET", "/v2/kill/app" + e.getKey() + "/blobs/" + dg, null);
                    assertThat(b.statusCode()).isEqualTo(200);
                    assertThat(Digest.sha256(b.body())).isEqualTo(dg);
                }
            }
            // the pushes that did not complete have no manifest; whatever blobs they got in are whole
            for (int i = 0; i < 20; i++) {
                if (done.containsKey(i)) continue;
                assertThat(send(again.url(), "GET", "/v2/kill/app" + i + "/manifests/1", null).statusCode()).isIn(404, 200);
            }
            List<Digest> blobs = new ArrayList<>();
            try (var algs = Files.list(root.resolve("content/blobs/sha256"))) {
                algs.forEach(p -> blobs.add(new Digest("sha256", p.getFileName().toString())));
            }
            for (Digest d : blobs) {
                assertThat(Digest.sha256(Files.readAllBytes(root.resolve("content/blobs/sha256").resolve(d.hex())))).isEqualTo(d);
            }
            try (var s = Files.list(root.resolve("content/ingest"))) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tmp-")).toList()).as("scratch left by the killed hub").isEmpty();
            }
            try (var s = Files.list(root.resolve("meta-tmp"))) {
                assertThat(s.toList()).isEmpty();
            }
        } finally {
            again.process().destroyForcibly();
            again.process().waitFor();
            io.andock.os.FileTrees.removeTree(root);
        }
    }
}
