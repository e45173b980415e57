package io.andock.daemon.handler;

import io.andock.daemon.http.ApiHandler;
import io.andock.daemon.http.Router;
import io.andock.json.Json;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The daemon's Jetty side (ApiHandler and a Router with the handlers under test) on a loopback port, and a client
 * with timeouts: handlers are tested through real HTTP, with fake backends behind them.
 */
final class ApiServerHarness implements AutoCloseable {
    record Reply(int status, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(body);
        }

        String message() {
            return (String) json().get("message");
        }
    }

    private final Server server;
    private final ExecutorService sessions = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "harness-session");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    ApiServerHarness(Router router) throws Exception {
        server = new Server();
        HttpConfiguration hc = new HttpConfiguration();
        hc.setUriCompliance(UriCompliance.LEGACY); // as the daemon's Listener: %2F stays inside a segment
        ServerConnector c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(hc));
        c.setHost("127.0.0.1");
        c.setPort(0);
        server.addConnector(c);
        server.setHandler(new ApiHandler(router, sessions, () -> { }));
        server.start();
        port = c.getLocalPort();
    }

    Reply send(String method, String path, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    /** The status line's code for a request line sent as is (paths java.net.URI would refuse). */
    int rawStatus(String requestLine) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
        sessions.shutdownNow();
    }
}
