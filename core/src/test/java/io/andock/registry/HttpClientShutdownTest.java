package io.andock.registry;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A used HttpClient's selector thread ends on shutdown (else the JVM's exit waits for it). */
@Tag("unit")
class HttpClientShutdownTest {

    @Test
    void shutdown_endsTheSelectorThread() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/");
            assertThat(http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            Thread selector = HttpClientShutdown.selectorThread(http);
            assertThat(selector).isNotNull();
            assertThat(selector.isAlive()).isTrue();

            HttpClientShutdown.shutdown(http);
            selector.join(10_000);   // a bound, not a measure: it ends at once
            assertThat(selector.isAlive()).isFalse();
        } finally {
            server.stop(0);
        }
    }
}
