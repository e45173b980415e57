package io.andock.follow;

import com.sun.net.httpserver.HttpServer;
import io.andock.AndockException;
import io.andock.registry.RegistryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's poll against a hostile hub on loopback: every bad answer refused in one line naming the hub. */
@Tag("unit")
class HubPollerTest {
    private static final String D = "sha256:" + "a".repeat(64);
    private HttpServer server;
    private volatile byte[] answer;
    private volatile int status = 200;

    private String hub() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(status, answer.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(answer);
            }
        });
        server.start();
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private Map<String, io.andock.image.Digest> poll(String hub) {
        return new HubPoller(RegistryOptions.defaults()).poll(hub, Map.of("device", "d"), Set.of("team/app:1"), Duration.ofSeconds(1));
    }

    @Test
    void aGoodAnswer_isTheFollowedTagsDigests() throws Exception {
        answer = ("{\"tags\":{\"team/app:1\":\"" + D + "\"}}").getBytes(StandardCharsets.UTF_8);
        assertThat(poll(hub())).containsOnlyKeys("team/app:1").extractingByKey("team/app:1").hasToString(D);
    }

    @Test
    void hostileAnswers_areRefusedInOneLine() throws Exception {
        String hub = hub();
        Map<String, String> cases = Map.of(
                "{\"tags\":{\"../../etc:1\":\"" + D + "\"}}", "which is not followed: refused",
                "{\"tags\":{\"team/app:1\":\"sha256:../../x\"}}", "invalid digest for team/app:1",
                "{\"tags\":{\"team/app:1\":[1,2]}}", "not strings: refused",
                "not json at all", "not JSON: refused",
                "{\"tags\":{\"team/app:1\":\"" + "x".repeat(2 << 20) + "\"}}", "over 1048576 bytes: refused");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            answer = c.getKey().getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> poll(hub)).as(c.getValue()).isInstanceOf(AndockException.class)
                    .hasMessageContaining("hub " + hub).hasMessageContaining(c.getValue())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(400));
        }
        status = 503;
        answer = "down\u0001\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> poll(hub)).hasMessageContaining("answered 503").hasMessageContaining("\\u0001");
    }

    @Test
    void aHeldPoll_isCutShortByItsAbort() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", x -> {
            try {
                Thread.sleep(30_000); // a hub holding the poll
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        });
        server.start();
        String hub = "127.0.0.1:" + server.getAddress().getPort();
        java.util.concurrent.atomic.AtomicReference<Runnable> abort = new java.util.concurrent.atomic.AtomicReference<>();
        long t0 = System.nanoTime();
        java.util.concurrent.CompletableFuture<Throwable> failed = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                new HubPoller(RegistryOptions.defaults()).poll(hub, Map.of("device", "d"), Set.of("team/app:1"), Duration.ofSeconds(20), abort);
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        while (abort.get() == null) Thread.sleep(20);
        Thread.sleep(300);
        abort.get().run();
        assertThat(failed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(AndockException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void aHubWithSignIn_getsTheCredentialsOfAndockLogin(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
        server.createContext("/", x -> {
            seen.set(x.getRequestHeaders().getFirst("Authorization"));
            byte[] b = "{\"tags\":{}}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        });
        server.start();
        String hub = "127.0.0.1:" + server.getAddress().getPort();
        io.andock.registry.CredentialStore creds = new io.andock.registry.CredentialStore(tmp.resolve("auth.json"), java.util.List.of());
        creds.save(hub, new io.andock.registry.Credentials("alice", "pw"));
        new HubPoller(RegistryOptions.defaults(), creds).poll(hub, Map.of("device", "d"), Set.of("team/app:1"), Duration.ofSeconds(1));
        assertThat(seen.get()).isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aHubThatIsGone_isUnavailable() throws Exception {
        String hub = hub();
        server.stop(0);
        server = null;
        assertThatThrownBy(() -> poll(hub)).isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.UNAVAILABLE));
    }

    @Test
    void loopbackIsPlainHttp_otherHubsTls() {
        HubPoller p = new HubPoller(RegistryOptions.defaults());
        assertThat(p.base("127.0.0.1:5000").toString()).isEqualTo("http://127.0.0.1:5000");
        assertThat(p.base("localhost:5000").toString()).isEqualTo("http://localhost:5000");
        assertThat(p.base("hub.lan:5000").toString()).isEqualTo("https://hub.lan:5000");
        assertThat(new HubPoller(RegistryOptions.defaults().withInsecureRegistries(Set.of("hub.lan:5000"))).base("hub.lan:5000").toString())
                .isEqualTo("http://hub.lan:5000");
    }
}
