package io.andock.hub;

import io.andock.testkit.Cmd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A hub on a loopback port of its own, in this JVM, with a fresh root. */
final class HubFixture implements AutoCloseable {
    static final Path TOOLS = Path.of(System.getenv().getOrDefault("ANDOCK_TOOLS", System.getProperty("user.home") + "/.cache/andock-ci/tools"));
    static final String CONFORMANCE = "conformance-v0.0.0-20260831232431-97274622c111";
    static final String CRANE = "crane-v0.22.1";
    static final String ORAS = "oras-v1.3.6";
    /** Held (java.util.logging keeps loggers weakly): the access log is quiet in tests unless asked for. */
    static final java.util.logging.Logger ACCESS_LOG = java.util.logging.Logger.getLogger("andock.hub.access");

    static {
        if (!Boolean.getBoolean("andock.hub.accessLog")) ACCESS_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    final Path root;
    final Hub hub;
    final HubConfig config;

    private HubFixture(Path root, HubConfig config) throws Exception {
        this.root = root;
        this.config = config;
        this.hub = Hub.start(config);
    }

    static HubFixture start() throws Exception {
        return start(c -> c);
    }

    static HubFixture start(UnaryOperator<HubConfig> tweak) throws Exception {
        Path root = Files.createTempDirectory("andock-hub-test");
        return new HubFixture(root, tweak.apply(HubConfig.defaults(root).withAddr("127.0.0.1:0")));
    }

    String host() {
        return "127.0.0.1:" + hub.port();
    }

    String url() {
        return hub.address();
    }

    /** A Go-built peer from .ci/go-tools, or a skipped test when it is not there. */
    static Path tool(String name) {
        Path p = TOOLS.resolve(name);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(p), () -> p + " not built (bash .ci/go-tools)");
        return p;
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> send(String method, String path, byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Cmd.Result run(List<String> cmd) {
        return Cmd.exec(cmd, Map.of(), Duration.ofMinutes(5));
    }

    @Override
    public void close() throws Exception {
        hub.close();
        io.andock.os.FileTrees.removeTree(root);
    }
}
