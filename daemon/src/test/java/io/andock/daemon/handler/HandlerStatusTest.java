package io.andock.daemon.handler;

import io.andock.daemon.backend.ImageBackend;
import io.andock.daemon.http.Router;
import io.andock.daemon.wire.FakeImages;
import io.andock.image.Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container and image handlers behind the real ApiHandler over loopback HTTP, with fake backends: the status
 * codes and {@code {"message": …}} bodies Docker clients classify errors by.
 */
@Tag("unit")
class HandlerStatusTest {
    static final Digest BB = FakeImages.id(7);
    static final FakeContainers containers = new FakeContainers();
    static ApiServerHarness api;

    @BeforeAll
    static void start() throws Exception {
        ImageBackend images = FakeImages.of(List.of(FakeImages.summary("busybox", "latest", null, BB, 100)),
                Map.of(BB, FakeImages.details(BB, List.of("busybox:latest", "127.0.0.1:5000/a/b:1"), "{}")));
        Router r = new Router();
        new ContainerHandler(containers.backend()).register(r);
        new ImageHandler(images, containers.backend()).register(r);
        api = new ApiServerHarness(r);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @BeforeEach
    void reset() {
        containers.running.clear();
    }

    @Test
    void create_thenSameNameAgain_is201Then409() throws Exception {
        var first = api.send("POST", "/v1.47/containers/create?name=web", "{\"Image\":\"busybox\"}");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json()).containsEntry("Id", "web").containsEntry("Warnings", List.of());
        var again = api.send("POST", "/v1.47/containers/create?name=web", "{\"Image\":\"busybox\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.message()).contains("already in use");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1]", "{\"Image\":\"\"}", "{\"Image\":\"bb\",\"Env\":\"x\"}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"99999/tcp\":[]}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}"})
    void create_badBody_is400WithAMessage(String body) throws Exception {
        var r = api.send("POST", "/containers/create", body);
        assertThat(r.status()).as(body).isEqualTo(400);
        assertThat(r.message()).isNotBlank().doesNotContain("\n");
    }

    @Test
    void create_unknownNetwork_is404() throws Exception {
        var r = api.send("POST", "/containers/create", "{\"Image\":\"bb\",\"HostConfig\":{\"NetworkMode\":\"nonet\"}}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.message()).contains("nonet");
    }

    @Test
    void create_bodyOver4MiB_is413() throws Exception {
        var r = api.send("POST", "/containers/create", "{\"Image\":\"bb\",\"Labels\":{\"x\":\"" + "a".repeat(4 << 20) + "\"}}");
        assertThat(r.status()).isEqualTo(413);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/containers/nope/json", "/containers/nope/start", "/containers/nope/kill", "/containers/nope"})
    void unknownContainer_is404(String path) throws Exception {
        String method = path.endsWith("/json") ? "GET" : path.equals("/containers/nope") ? "DELETE" : "POST";
        var r = api.send(method, path, null);
        assertThat(r.status()).as(path).isEqualTo(404);
        assertThat(r.message()).isEqualTo("No such container: nope");
    }

    @Test
    void removeRunning_is409_unlessForced_thenGone() throws Exception {
        containers.running.put("web", true);
        assertThat(api.send("DELETE", "/containers/web", null).status()).isEqualTo(409);
        assertThat(api.send("DELETE", "/containers/web?force=1", null).status()).isEqualTo(204);
        assertThat(api.send("DELETE", "/containers/web", null).status()).isEqualTo(404);
    }

    @Test
    void killStopped_is409_pauseUnsupported_is501() throws Exception {
        containers.running.put("idle", false);
        assertThat(api.send("POST", "/containers/idle/kill", null).status()).isEqualTo(409);
        assertThat(api.send("POST", "/containers/idle/pause", null).status()).isEqualTo(501);
    }

    @Test
    void encodedSlashInAContainerName_isNotFound_notAnotherRoute() throws Exception {
        var r = api.send("DELETE", "/containers/a%2Fb", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.message()).contains("a/b");
    }

    @Test
    void badQueryValues_are400() throws Exception {
        containers.running.put("web", true);
        assertThat(api.send("POST", "/containers/web/stop?t=soon", null).status()).isEqualTo(400);
        assertThat(api.get("/containers/json?filters=notjson").status()).isEqualTo(400);
        assertThat(api.get("/images/json?filters=%7Bbad").status()).isEqualTo(400);
    }

    @Test
    void malformedEscapes_are400_notAServerError() throws Exception {
        assertThat(api.rawStatus("GET /containers/%zz/json HTTP/1.1")).isEqualTo(400);
        assertThat(api.rawStatus("GET /v1.47/images/%/json HTTP/1.1")).isEqualTo(400);
        assertThat(api.rawStatus("GET /containers/json?all=%zz HTTP/1.1")).isEqualTo(400);
    }

    @Test
    void unknownPath_is404_wrongMethod_is405_oldVersion_is400() throws Exception {
        var nf = api.get("/v1.47/nothing/here");
        assertThat(nf.status()).isEqualTo(404);
        assertThat(nf.message()).isEqualTo("page not found");
        assertThat(api.send("PUT", "/containers/json", null).status()).isEqualTo(405);
        var old = api.get("/v1.12/containers/json");
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.message()).contains("too old").contains("1.24");
    }

    @Test
    void imageInspect_byShortOrRegistryName_andUnknownIs404() throws Exception {
        var ok = api.get("/images/busybox:latest/json");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json()).containsEntry("Id", BB.toString());
        assertThat(api.get("/images/127.0.0.1:5000/a/b:1/json").status()).isEqualTo(200);
        var nf = api.get("/images/nosuch/json");
        assertThat(nf.status()).isEqualTo(404);
        assertThat(nf.message()).isEqualTo("No such image: nosuch");
        assertThat(api.get("/images/nosuch/history").status()).isEqualTo(404);
        assertThat(api.send("DELETE", "/images/nosuch", null).status()).isEqualTo(404);
    }

    @Test
    void imageTagWithoutRepo_is400_searchIs501_saveOfUnknownIs404BeforeAnyByte() throws Exception {
        assertThat(api.send("POST", "/images/busybox:latest/tag", null).status()).isEqualTo(400);
        assertThat(api.get("/images/search?term=x").status()).isEqualTo(501);
        assertThat(api.get("/images/get?names=nosuch").status()).isEqualTo(404);
        assertThat(api.get("/images/get").status()).isEqualTo(400);
    }

    @Test
    void pull_invalidReference_is400_beforeTheStream() throws Exception {
        var r = api.send("POST", "/images/create?fromImage=UPPER&tag=latest", null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).contains("invalid reference format");
        assertThat(api.send("POST", "/images/create?fromImage=busybox&tag=-bad", null).status()).isEqualTo(400);
        assertThat(api.send("POST", "/images/create", null).status()).isEqualTo(400);
    }

    @Test
    void pull_failingBeforeProgress_isAPlainStatus_afterProgress_isAnInBandErrorLine() throws Exception {
        var early = api.send("POST", "/images/create?fromImage=missing&tag=1", null);
        assertThat(early.status()).isEqualTo(404);
        assertThat(early.message()).contains("manifest unknown");
        var late = api.send("POST", "/images/create?fromImage=midway&tag=1", null);
        assertThat(late.status()).isEqualTo(200);
        String[] lines = late.body().split("\r\n");
        assertThat(io.andock.json.Json.parse(lines[0])).isEqualTo(Map.of("status", "Pulling from library/midway", "id", "1"));
        assertThat(io.andock.json.Json.parse(lines[1])).isEqualTo(Map.of("status", "Pulling fs layer", "progressDetail", Map.of(),
                "id", "0123456789ab"));
        assertThat(io.andock.json.Json.parse(lines[lines.length - 1])).isEqualTo(Map.of("errorDetail", Map.of("message", "connection reset"),
                "error", "connection reset"));
    }

    @Test
    void imageList_isDockersShape() throws Exception {
        var r = api.get("/images/json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).startsWith("[{\"Id\":\"" + BB + "\"");
    }
}
