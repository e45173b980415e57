package io.andock.hub;

import io.andock.image.Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that lie, stall, hang up or play path tricks: each gets a clear OCI error, and nothing half-made ever
 * becomes visible. The hub runs with a 2 s read timeout so that stalls end quickly.
 */
@Tag("unit")
class HostileInputTest {
    static HubFixture hub;

    @BeforeAll
    static void start() throws Exception {
        hub = HubFixture.start(c -> c.withLimits(new HubConfig.Limits(4L << 20, 1L << 40, 1000, 2, 4096, 1800, 64)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) hub.close();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    HttpResponse<String> send(String method, String path, byte[] body, String... headers) throws Exception {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) h.put(headers[i], headers[i + 1]);
        return hub.send(method, path, body, h);
    }

    String newUpload(String repo) throws Exception {
        HttpResponse<String> r = send("POST", "/v2/" + repo + "/blobs/uploads/", null);
        assertThat(r.statusCode()).isEqualTo(202);
        return r.headers().firstValue("Location").orElseThrow();
    }

    /** Nothing but verified blobs in the store, and no scratch file once the requests are over. */
    void storeHoldsOnlyVerifiedContent() throws Exception {
        for (Digest d : hub.hub.registry().storage().listBlobs()) {
            byte[] b = Files.readAllBytes(hub.root.resolve("content/blobs").resolve(d.algorithm()).resolve(d.hex()));
            java.security.MessageDigest md = d.newDigester();
            assertThat(Digest.of(d.algorithm(), md) == null).isFalse();
            md = d.newDigester();
            md.update(b);
            assertThat(Digest.of(d.algorithm(), md)).as("blob %s holds what it is named", d).isEqualTo(d);
        }
    }

    @Test
    void aDigestLieIsRefusedAndNothingIsVisible() throws Exception {
        byte[] real = bytes(100_000, 1);
        Digest claimed = Digest.sha256(bytes(100_000, 2));
        String loc = newUpload("lies/digest");
        HttpResponse<String> r = send("PUT", loc + "?digest=" + claimed, real, "Content-Type", "application/octet-stream");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("DIGEST_INVALID");
        assertThat(send("HEAD", "/v2/lies/digest/blobs/" + claimed, null).statusCode()).isEqualTo(404);
        assertThat(send("HEAD", "/v2/lies/digest/blobs/" + Digest.sha256(real), null).statusCode()).isEqualTo(404);
        assertThat(hub.hub.registry().storage().statBlob(claimed)).isEmpty();
        assertThat(hub.hub.registry().storage().statBlob(Digest.sha256(real))).isEmpty();
        // the upload is over: a second PUT finds nothing
        assertThat(send("PUT", loc + "?digest=" + Digest.sha256(real), null).statusCode()).isEqualTo(404);
        // monolithic POST with a lying digest too
        HttpResponse<String> mono = send("POST", "/v2/lies/digest/blobs/uploads/?digest=" + claimed, real);
        assertThat(mono.statusCode()).isEqualTo(400);
        assertThat(mono.body()).contains("DIGEST_INVALID");
        assertThat(hub.hub.registry().storage().statBlob(claimed)).isEmpty();
        storeHoldsOnlyVerifiedContent();
    }

    @Test
    void aSizeLieLeavesTheUploadWhereItWas() throws Exception {
        String loc = newUpload("lies/size");
        byte[] chunk = bytes(50, 3);
        HttpResponse<String> r = send("PATCH", loc, chunk, "Content-Range", "0-99");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("SIZE_INVALID");
        HttpResponse<String> st = send("GET", loc, null);
        assertThat(st.statusCode()).isEqualTo(204);
        assertThat(st.headers().firstValue("Range")).hasValue("0-0");
        // the honest chunk then goes in
        assertThat(send("PATCH", loc, chunk, "Content-Range", "0-49").statusCode()).isEqualTo(202);
        assertThat(send("PUT", loc + "?digest=" + Digest.sha256(chunk), null).statusCode()).isEqualTo(201);
        storeHoldsOnlyVerifiedContent();
    }

    @Test
    void chunksOutOfOrderAre416AndTheUploadGoesOn() throws Exception {
        byte[] all = bytes(30, 4);
        String loc = newUpload("chunks/app");
        assertThat(send("PATCH", loc, Arrays.copyOfRange(all, 0, 10), "Content-Range", "0-9").statusCode()).isEqualTo(202);
        HttpResponse<String> ahead = send("PATCH", loc, Arrays.copyOfRange(all, 20, 30), "Content-Range", "20-29");
        assertThat(ahead.statusCode()).isEqualTo(416);
        assertThat(ahead.headers().firstValue("Range")).hasValue("0-9");
        HttpResponse<String> back = send("PATCH", loc, Arrays.copyOfRange(all, 0, 10), "Content-Range", "0-9");
        assertThat(back.statusCode()).isEqualTo(416);
        assertThat(send("PATCH", loc, Arrays.copyOfRange(all, 10, 20), "Content-Range", "10-19").statusCode()).isEqualTo(202);
        assertThat(send("PUT", loc + "?digest=" + Digest.sha256(all), Arrays.copyOfRange(all, 20, 30), "Content-Range", "20-29").statusCode()).isEqualTo(201);
        HttpResponse<String> got = send("GET", "/v2/chunks/app/blobs/" + Digest.sha256(all), null);
        assertThat(got.statusCode()).isEqualTo(200);
        // a bad Content-Range is a 416 too
        String loc2 = newUpload("chunks/app");
        assertThat(send("PATCH", loc2, new byte[]{1}, "Content-Range", "5-2").statusCode()).isEqualTo(416);
    }

    /** Sends raw bytes on a fresh connection; returns what came back until the hub closed it or {@code waitMs} passed. */
    static String raw(byte[] request, boolean closeAfter, int waitMs) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", hub.hub.port()), 5000);
            s.setSoTimeout(waitMs);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            if (closeAfter) return "";
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            try {
                in.transferTo(b);
            } catch (java.net.SocketTimeoutException e) {
                b.write("<timeout>".getBytes(StandardCharsets.US_ASCII));
            } catch (java.net.SocketException e) {
                b.write("<reset>".getBytes(StandardCharsets.US_ASCII));
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aStalledUploadIsCutAfterTheReadTimeoutAndLeavesNothing() throws Exception {
        String loc = newUpload("stall/app");
        byte[] head = ("PATCH " + loc + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Range: 0-999\r\n"
                + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] req = Arrays.copyOf(head, head.length + 10);
        long t0 = System.nanoTime();
        String reply = raw(req, false, 15_000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(reply).doesNotContain("<timeout>");
        assertThat(ms).as("the stall is cut by the 2 s read timeout").isLessThan(10_000);
        HttpResponse<String> st = send("GET", loc, null);
        assertThat(st.statusCode()).isEqualTo(204);
        assertThat(st.headers().firstValue("Range")).as("the stalled chunk was undone").hasValue("0-0");
        assertThat(send("GET", "/v2/", null).statusCode()).isEqualTo(200);
        storeHoldsOnlyVerifiedContent();
    }

    @Test
    void aClientThatHangsUpMidUploadLeavesNothingVisible() throws Exception {
        byte[] blob = bytes(1 << 20, 5);
        Digest d = Digest.sha256(blob);
        int before = hub.hub.registry().uploadsInProgress();
        byte[] head = ("POST /v2/hangup/app/blobs/uploads/?digest=" + d + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + blob.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] req = Arrays.copyOf(head, head.length + blob.length / 2);
        System.arraycopy(blob, 0, req, head.length, blob.length / 2);
        raw(req, true, 0);
        Thread.sleep(500);
        assertThat(send("HEAD", "/v2/hangup/app/blobs/" + d, null).statusCode()).isEqualTo(404);
        assertThat(hub.hub.registry().storage().statBlob(d)).isEmpty();
        long deadline = System.currentTimeMillis() + 10_000;
        while (hub.hub.registry().uploadsInProgress() > before && System.currentTimeMillis() < deadline) Thread.sleep(100);
        assertThat(hub.hub.registry().uploadsInProgress()).as("the monolithic upload ended with its request").isEqualTo(before);
        try (var s = Files.list(hub.root.resolve("content/ingest"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tmp-")).count())
                    .as("scratch files: only the uploads still open").isLessThanOrEqualTo(before);
        }
        storeHoldsOnlyVerifiedContent();
    }

    @Test
    void pathTricksAreRefusedWithOciErrors() throws Exception {
        List<String> paths = List.of("/v2/../etc/passwd/manifests/x", "/v2/%2e%2e/x/manifests/latest", "/v2//etc/manifests/latest",
                "/v2/a/%2E%2E/b/manifests/latest", "/v2/a/manifests/..", "/v2/a/blobs/sha256:..%2f..%2fx", "/v2/a%2fb/manifests/x",
                "/v2/a/manifests/%2e%2e", "/v2/UPPER/manifests/latest", "/v2/a/manifests/-bad", "/v2/a/blobs/sha256:nothex",
                "/v2/a/blobs/md5:d41d8cd98f00b204e9800998ecf8427e", "/v2/" + "a/".repeat(200) + "manifests/x");
        for (String p : paths) {
            String reply = raw(("GET " + p + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII), false, 10_000);
            assertThat(reply).as(p).startsWith("HTTP/1.1 400");
            assertThat(reply).as(p).contains("{\"errors\":[{\"code\":");
        }
        // a PUT under a tricky name writes nothing outside the store
        String put = raw(("PUT /v2/../../tmp/andock-evil/manifests/latest HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII), false, 10_000);
        assertThat(put).startsWith("HTTP/1.1 400");
        assertThat(Path.of("/tmp/andock-evil/manifests")).doesNotExist();
    }

    @Test
    void manifestsOverFourMebibytesAre413() throws Exception {
        byte[] big = new byte[(4 << 20) + 1];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        HttpResponse<String> r = send("PUT", "/v2/big/app/manifests/latest", big, "Content-Type", "application/vnd.oci.image.manifest.v1+json");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("SIZE_INVALID");
        // chunked (no Content-Length) too
        String head = "PUT /v2/big/app/manifests/latest HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
                + "Content-Type: application/vnd.oci.image.manifest.v1+json\r\n\r\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(head.getBytes(StandardCharsets.US_ASCII));
        b.write((Integer.toHexString(big.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        b.write(big);
        b.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(raw(b.toByteArray(), false, 20_000)).startsWith("HTTP/1.1 413");
        assertThat(send("GET", "/v2/big/app/manifests/latest", null).statusCode()).isEqualTo(404);
    }

    @Test
    void manifestsNamingBlobsTheRepositoryLacksAreRefused() throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        Digest cd = Digest.sha256(config);
        assertThat(send("POST", "/v2/other/repo/blobs/uploads/?digest=" + cd, config).statusCode()).isEqualTo(201);
        Digest layer = Digest.sha256(bytes(10, 6));
        String m = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + cd + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layer + "\",\"size\":10}]}";
        // the config is in another repository, the layer nowhere
        HttpResponse<String> r = send("PUT", "/v2/lacks/app/manifests/1", m.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/vnd.oci.image.manifest.v1+json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("MANIFEST_BLOB_UNKNOWN").contains(cd.toString());
        assertThat(send("GET", "/v2/lacks/app/manifests/1", null).statusCode()).isEqualTo(404);
        // not JSON at all
        HttpResponse<String> bad = send("PUT", "/v2/lacks/app/manifests/2", "not json".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/vnd.oci.image.manifest.v1+json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("MANIFEST_INVALID");
    }

    @Test
    void twoThousandIdleConnectionsLeaveTheHubResponsive() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", hub.hub.port()), 5000);
                idle.add(s);
            }
            // half of them send half a request and stop
            for (int i = 0; i < idle.size(); i += 2) idle.get(i).getOutputStream().write("GET /v2/ HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            HttpResponse<String> r = send("GET", "/v2/", null);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(ms).isLessThan(2000);
            // and they are dropped after the read timeout
            Thread.sleep(4000);
            int closed = 0;
            for (Socket s : idle) {
                s.setSoTimeout(100);
                try {
                    if (s.getInputStream().read() < 0) closed++;
                } catch (java.net.SocketTimeoutException e) {
                    // still open
                } catch (java.io.IOException e) {
                    closed++;
                }
            }
            assertThat(closed).as("idle connections closed after the 2 s read timeout").isGreaterThan(1900);
        } finally {
            for (Socket s : idle) s.close();
        }
    }

    @Test
    void configErrorsAreOneLineNamingTheKey() throws Exception {
        Path f = Files.createTempFile("hub", ".json");
        Files.writeString(f, "{\"root\": \"/tmp/x\", \"limitz\": {}}");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> HubConfig.load(f))).hasMessageContaining("unknown key \"limitz\"")
                .hasMessageNotContaining("\n");
        Files.writeString(f, "{\"root\": \"/tmp/x\", \"addr\": \"0.0.0.0:5000\"}");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> HubConfig.load(f).check())).hasMessageContaining("plain HTTP on 0.0.0.0:5000");
        Files.writeString(f, "{\"root\": \"/tmp/x\", \"limits\": {\"max-manifest-bytes\": -1}}");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> HubConfig.load(f))).hasMessageContaining("max-manifest-bytes");
        Files.delete(f);
    }
}
