package io.andock.registry;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.andock.testkit.Cmd;
import io.andock.tls.PemKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry's HttpClient, whose TLS context is made at the first HTTPS connection: it is the JVM's default one
 * (its trust store decides), and certificates and host names are still verified.
 */
class DeferredTlsContextTest {
    @TempDir
    static Path dir;
    private static HttpsServer server;

    @BeforeAll
    static void serveTls() throws Exception {
        Cmd.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(PemKeys.keyStore(dir.resolve("cert.pem"), dir.resolve("key.pem")), PemKeys.PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static int get(String host) throws Exception {
        HttpClient http = RegistryTransport.newHttpClient(RegistryOptions.defaults());
        URI uri = URI.create("https://" + host + ":" + server.getAddress().getPort() + "/v2/");
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aCertificateTheDefaultTrustStoreLacksIsRefused() {
        assertThatThrownBy(() -> get("127.0.0.1")).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theDefaultContextDecides_andHostNamesAreVerified() throws Exception {
        SSLContext before = SSLContext.getDefault();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(PemKeys.trustStore(dir.resolve("cert.pem")));
        SSLContext trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
        SSLContext.setDefault(trusting);
        try {
            assertThat(get("127.0.0.1")).isEqualTo(200);
            // the certificate names 127.0.0.1 only
            assertThatThrownBy(() -> get("localhost")).isInstanceOf(SSLHandshakeException.class);
        } finally {
            SSLContext.setDefault(before);
        }
    }
}
