package io.andock.registry;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The watchdog on a real JDK HttpClient body: a server that sends headers and 5 bytes, then nothing. */
@Tag("unit")
class IdleTimeoutInputStreamTest {

    @Test
    void stalledBody_failsWithReadTimeout_andTheThreadIsNotLeftInterrupted() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    done.await(); // silent, connection open
                } catch (Exception ignored) {
                    // test over
                }
            });
            t.setDaemon(true);
            t.start();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getLocalPort() + "/")).build(), HttpResponse.BodyHandlers.ofInputStream());
            InputStream in = new IdleTimeoutInputStream(r.body(), Duration.ofMillis(500), "127.0.0.1:1");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThat(in.readNBytes(5)).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
                assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class)
                        .hasMessage("127.0.0.1:1 sent no data for 500 ms (read timeout)");
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
                assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            });
        } finally {
            done.countDown();
        }
    }

    @Test
    void steadyBody_isReadWhole() throws Exception {
        byte[] data = new byte[300_000];
        InputStream slowButSteady = new java.io.ByteArrayInputStream(data);
        try (InputStream in = new IdleTimeoutInputStream(slowButSteady, Duration.ofMillis(200), "h")) {
            assertThat(in.readAllBytes()).hasSize(data.length);
        }
    }

    /** A byte every 50 ms never trips the idle timeout (200 ms); under 1 KiB per 200 ms spent reading is too slow. */
    @Test
    void trickle_failsAsTooSlow_withinAFewTimeouts() {
        InputStream trickle = new InputStream() {
            @Override
            public int read() {
                sleep(50);
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) return 0;
                b[off] = (byte) read();
                return 1;
            }
        };
        InputStream in = new IdleTimeoutInputStream(trickle, Duration.ofMillis(200), "slow:1");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(in::readAllBytes)
                .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("slow:1 sent").hasMessageContaining("too slow"));
    }

    /** The reader's own pauses do not count: a fast source read slowly is no trickle. */
    @Test
    void readerPausingItself_isNotTooSlow() throws Exception {
        InputStream small = new java.io.ByteArrayInputStream(new byte[600]);
        try (InputStream in = new IdleTimeoutInputStream(small, Duration.ofMillis(100), "h")) {
            byte[] buf = new byte[100];
            int total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                sleep(60);
            }
            assertThat(total).isEqualTo(600);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
