package io.andock.hub;

import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's fleet endpoints against a real hub and skopeo pushing: a poll answers at once when a followed tag
 * differs from what the device has seen, is held otherwise and woken by a push, records the device; hostile reports
 * are refused in one line and never stored.
 */
@Tag("registry")
class FleetEndpointTest {
    private static final String POLL = "/v2/_andock/fleet/poll";

    @Test
    void aHeldPoll_isAnsweredByAPush_andTheDeviceIsRecorded() throws Exception {
        Fixtures.assumeAvailable();
        try (HubFixture h = HubFixture.start()) {
            push(h, "latest", "team/app:stable");
            String d1 = Fixtures.manifestDigest("busybox", "latest");
            // nothing seen yet: answered at once
            HttpResponse<String> first = poll(h, 20, report("phone-1", null));
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(tags(first)).containsEntry("team/app:stable", d1);
            // seen: held until the push
            long t0 = System.nanoTime();
            CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return poll(h, 20, report("phone-1", d1));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(1500);
            assertThat(held).isNotDone();
            push(h, "configured", "team/app:stable");
            HttpResponse<String> moved = held.get();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isLessThan(15_000);
            assertThat(tags(moved)).containsEntry("team/app:stable", Fixtures.manifestDigest("busybox", "configured"));
            HttpResponse<String> devices = h.send("GET", "/v2/_andock/fleet/devices", null, Map.of());
            assertThat(devices.body()).contains("\"device\":\"phone-1\"").contains("team/app:stable").contains("last_seen");
            HttpResponse<String> page = h.send("GET", "/", null, Map.of());
            assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(page.body()).contains("phone-1").contains("1 device");
        }
    }

    @Test
    void heldPolls_holdNoThread_manyMoreThanMaxThreadsAreAnsweredByOnePush() throws Exception {
        Fixtures.assumeAvailable();
        HubConfig.Limits d = HubConfig.Limits.defaults();
        try (HubFixture h = HubFixture.start(c -> c.withLimits(new HubConfig.Limits(d.maxManifestBytes(), d.maxBlobBytes(), d.maxUploads(),
                d.readTimeoutSeconds(), d.maxConnections(), d.uploadIdleSeconds(), 16)))) {
            push(h, "latest", "team/app:stable");
            String d1 = Fixtures.manifestDigest("busybox", "latest");
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().build();
            List<CompletableFuture<HttpResponse<String>>> held = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                held.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url() + POLL + "?wait=20"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(report("phone-" + i, d1))).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(2000);
            assertThat(held).noneMatch(CompletableFuture::isDone);
            assertThat(h.send("GET", "/v2/", null, Map.of()).statusCode()).isEqualTo(200); // 16 threads, 100 polls held: still served
            push(h, "configured", "team/app:stable");
            for (CompletableFuture<HttpResponse<String>> f : held) {
                assertThat(tags(f.get(15, java.util.concurrent.TimeUnit.SECONDS))).containsEntry("team/app:stable", Fixtures.manifestDigest("busybox", "configured"));
            }
            assertThat(h.send("GET", "/v2/_andock/fleet/devices", null, Map.of()).body()).contains("phone-99");
        }
    }

    @Test
    void aMirroredTag_movesWhenRevalidationFindsANewDigest() throws Exception {
        Fixtures.assumeAvailable();
        try (io.andock.testkit.TestRegistry upstream = io.andock.testkit.TestRegistry.builder().start()) {
            HubConfig.Upstream up = new HubConfig.Upstream("ghcr.io", java.net.URI.create("http://" + upstream.host()), null, null);
            try (HubFixture h = HubFixture.start(c -> c.withMirroring(new HubConfig.Mirroring(List.of(up), 0)))) {
                Cmd.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + Fixtures.layout("busybox") + ":latest", "docker://" + upstream.host() + "/team/app:stable");
                String d1 = Fixtures.manifestDigest("busybox", "latest");
                byte[] unseen = Json.writeBytes(Map.of("device", "phone", "follows", List.of(Map.of("ref", "ghcr.io/team/app:stable"))));
                assertThat(tags(poll(h, 20, unseen))).containsEntry("ghcr.io/team/app:stable", d1);
                byte[] seen = Json.writeBytes(Map.of("device", "phone", "follows", List.of(Map.of("ref", "ghcr.io/team/app:stable", "digest", d1))));
                CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
                    try {
                        return poll(h, 20, seen);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                Thread.sleep(1000);
                assertThat(held).isNotDone();
                long t0 = System.nanoTime();
                Cmd.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + Fixtures.layout("busybox") + ":configured", "docker://" + upstream.host() + "/team/app:stable");
                assertThat(tags(held.get(20, java.util.concurrent.TimeUnit.SECONDS))).containsEntry("ghcr.io/team/app:stable", Fixtures.manifestDigest("busybox", "configured"));
                assertThat((System.nanoTime() - t0) / 1_000_000).as("ms from the upstream push to the answer").isLessThan(10_000);
            }
        }
    }

    @Test
    void withSignIn_aDevicePollsOnlyWhatItMayPull_andTheDevicesNeedAUser() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("andock-fleet-auth");
        HubConfig.Auth auth = AuthTest.auth(AuthTest.htpasswd(dir), false);
        try (HubFixture h = HubFixture.start(c -> c.withAuth(auth))) {
            byte[] body = report("phone", null);
            HttpResponse<String> anonymous = h.send("POST", POLL + "?wait=0", body, Map.of());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
            assertThat(anonymous.body()).contains("authentication required to follow team/app:stable");
            assertThat(h.send("POST", POLL + "?wait=0", body, Map.of("Authorization", AuthTest.basic("alice", "wrong"))).statusCode()).isEqualTo(401);
            assertThat(h.send("POST", POLL + "?wait=0", body, Map.of("Authorization", AuthTest.basic("bob", "bob-pw"))).statusCode()).isEqualTo(403);
            assertThat(h.send("POST", POLL + "?wait=0", body, Map.of("Authorization", AuthTest.basic("alice", "alice-pw"))).statusCode()).isEqualTo(200);
            assertThat(h.send("GET", "/v2/_andock/fleet/devices", null, Map.of()).statusCode()).isEqualTo(401);
            assertThat(h.send("GET", "/", null, Map.of()).statusCode()).isEqualTo(401);
            assertThat(h.send("GET", "/", null, Map.of("Authorization", AuthTest.basic("bob", "bob-pw"))).body()).contains("phone");
        }
    }

    @Test
    void hostileReports_areRefusedInOneLine_andNotStored() throws Exception {
        try (HubFixture h = HubFixture.start()) {
            Map<String, String> bad = Map.of(
                    "{\"device\":\"../../etc\",\"follows\":[]}", "invalid device id",
                    "{\"device\":\"ok\",\"follows\":[{\"ref\":\"../x:1\"}]}", "NAME_INVALID",
                    "{\"device\":\"ok\",\"follows\":[{\"ref\":\"team/app\"}]}", "expected repository:tag",
                    "{\"device\":\"ok\",\"follows\":[{\"ref\":\"a:1\",\"digest\":\"sha256:zz\"}]}", "invalid digest",
                    "{\"device\":\"ok\",\"version\":\"<script>\\u0001\"}", "invalid text",
                    "not json", "not JSON");
            for (Map.Entry<String, String> b : bad.entrySet()) {
                HttpResponse<String> r = h.send("POST", POLL + "?wait=0", b.getKey().getBytes(StandardCharsets.UTF_8), Map.of());
                assertThat(r.statusCode()).as(b.getKey()).isEqualTo(400);
                assertThat(r.body()).as(b.getKey()).contains(b.getValue()).doesNotContain("\n");
            }
            byte[] huge = ("{\"device\":\"ok\",\"version\":\"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            assertThat(h.send("POST", POLL, huge, Map.of()).statusCode()).isEqualTo(413);
            assertThat(h.send("POST", POLL + "?wait=x", "{}".getBytes(StandardCharsets.UTF_8), Map.of()).statusCode()).isEqualTo(400);
            assertThat(h.send("GET", "/v2/_andock/fleet/other", null, Map.of()).statusCode()).isEqualTo(404);
            assertThat(h.send("GET", "/v2/_andock/fleet/devices", null, Map.of()).body()).isEqualTo("{\"devices\":[]}");
            assertThat(h.send("GET", "/v2/", null, Map.of()).statusCode()).isEqualTo(200); // the registry behind is untouched
            // printable words from a device are kept, and escaped on the page
            byte[] markup = "{\"device\":\"kiosk\",\"version\":\"<script>alert(1)</script>\"}".getBytes(StandardCharsets.UTF_8);
            assertThat(h.send("POST", POLL + "?wait=0", markup, Map.of()).statusCode()).isEqualTo(200);
            assertThat(h.send("GET", "/", null, Map.of()).body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
        }
    }

    private static void push(HubFixture h, String fixtureTag, String repoTag) {
        Cmd.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + Fixtures.layout("busybox") + ":" + fixtureTag, "docker://" + h.host() + "/" + repoTag);
    }

    private static byte[] report(String device, String seen) {
        Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put("ref", "team/app:stable");
        f.put("digest", seen);
        f.put("update", "stage");
        f.put("state", "following");
        return Json.writeBytes(Map.of("device", device, "version", "test", "follows", List.of(f)));
    }

    private static HttpResponse<String> poll(HubFixture h, int wait, byte[] body) throws Exception {
        return h.send("POST", POLL + "?wait=" + wait, body, Map.of());
    }

    private static Map<String, String> tags(HttpResponse<String> r) {
        return JsonObject.parse(r.body().getBytes(StandardCharsets.UTF_8)).stringMap("tags");
    }
}
