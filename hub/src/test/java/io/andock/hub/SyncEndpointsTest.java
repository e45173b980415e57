package io.andock.hub;

import io.andock.image.ImageConfig;
import io.andock.image.Manifest;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sync endpoints under /v2/_andock/sync: pull rights, what a repository holds, bounds, packs per repository. */
class SyncEndpointsTest {
    private static final String JSON = "application/json";

    @Test
    void syncEndpoints_checkRightsRepositoriesAndBounds() throws Exception {
        Fixtures.assumeAvailable();
        Path dir = Files.createTempDirectory("andock-hub-sync");
        try (HubFixture hub = HubFixture.start(c -> c.withAuth(AuthTest.auth(AuthTest.htpasswd(dir), false)))) {
            String layout = Fixtures.layout("busybox").toString();
            Cmd.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "--dest-creds", "alice:alice-pw", "oci:" + layout + ":latest",
                    "docker://" + hub.host() + "/team/app:1");
            Cmd.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "--dest-creds", "bob:bob-pw", "oci:" + layout + ":latest",
                    "docker://" + hub.host() + "/bob/app:1");
            Manifest m = Manifest.parse(Fixtures.blob("busybox", Fixtures.manifestDigest("busybox", "latest")), null);
            ImageConfig cfg = ImageConfig.parse(Fixtures.blob("busybox", m.config().digest().toString()));
            String layer = m.layers().get(0).digest().toString();
            String diffId = cfg.diffIds().get(0).toString();
            Map<String, String> alice = Map.of("Authorization", AuthTest.basic("alice", "alice-pw"), "Content-Type", JSON);
            Map<String, String> bob = Map.of("Authorization", AuthTest.basic("bob", "bob-pw"), "Content-Type", JSON);
            byte[] plan = ("{\"layer\":\"" + layer + "\",\"have\":[\"" + diffId + "\"]}").getBytes(StandardCharsets.UTF_8);

            assertThat(hub.send("GET", "/v2/_andock/sync", null, alice).body()).contains("\"sync\":1");
            assertThat(hub.send("GET", "/v2/_andock/sync", null, Map.of()).statusCode()).isEqualTo(401);
            assertThat(hub.send("POST", "/v2/_andock/sync/team/app/plan", plan, Map.of()).statusCode()).isEqualTo(401);
            assertThat(hub.send("POST", "/v2/_andock/sync/team/app/plan", plan, bob).statusCode()).isEqualTo(403);

            // nothing held: the blob is the better answer
            byte[] none = ("{\"layer\":\"" + layer + "\",\"have\":[]}").getBytes(StandardCharsets.UTF_8);
            assertThat(hub.send("POST", "/v2/_andock/sync/team/app/plan", none, alice).body()).contains("\"whole\":true");
            HttpResponse<String> ok = hub.send("POST", "/v2/_andock/sync/team/app/plan", plan, alice);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            String pack = ok.body().replaceAll(".*\"pack\":\"([^\"]+)\".*", "$1");
            assertThat(pack).startsWith("sha256:");
            HttpResponse<String> got = hub.send("GET", "/v2/_andock/sync/team/app/packs/" + pack, null, Map.of("Authorization", alice.get("Authorization"), "Range", "bytes=4-"));
            assertThat(got.statusCode()).isEqualTo(206);
            // a pack is served under the repository it was made for only
            assertThat(hub.send("GET", "/v2/_andock/sync/bob/app/packs/" + pack, null, bob).statusCode()).isEqualTo(404);

            // what the repository does not hold, what is not JSON, what is too much
            byte[] foreign = ("{\"layer\":\"sha256:" + "0".repeat(64) + "\"}").getBytes(StandardCharsets.UTF_8);
            assertThat(hub.send("POST", "/v2/_andock/sync/team/app/plan", foreign, alice).statusCode()).isEqualTo(404);
            assertThat(hub.send("POST", "/v2/_andock/sync/team/app/plan", "{nope".getBytes(StandardCharsets.UTF_8), alice).statusCode()).isEqualTo(400);
            String many = String.join(",", Collections.nCopies(5000, "\"" + diffId + "\""));
            byte[] tooMany = ("{\"layer\":\"" + layer + "\",\"have\":[" + many + "]}").getBytes(StandardCharsets.UTF_8);
            assertThat(hub.send("POST", "/v2/_andock/sync/team/app/plan", tooMany, alice).statusCode()).isEqualTo(400);
            byte[] badNeed = ("{\"layer\":\"" + layer + "\",\"need\":[\"../../etc\"]}").getBytes(StandardCharsets.UTF_8);
            assertThat(hub.send("POST", "/v2/_andock/sync/team/app/plan", badNeed, alice).statusCode()).isEqualTo(400);
            assertThat(hub.send("POST", "/v2/_andock/sync/team/../x/plan", plan, alice).statusCode()).isEqualTo(400);
        } finally {
            io.andock.os.FileTrees.removeTree(dir);
        }
    }
}
