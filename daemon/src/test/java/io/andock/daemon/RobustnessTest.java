package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad requests get Docker's error replies; broken clients do not wedge the daemon. */
class RobustnessTest {
    static DaemonFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    private static String exchange(String request, byte[] body, boolean closeEarly) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(f.socket));
            OutputStream out = Channels.newOutputStream(ch);
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) out.write(body);
                out.flush();
            } catch (java.io.IOException e) {
                // the daemon answered (413) and closed before reading everything
            }
            if (closeEarly) return "";
            InputStream in = Channels.newInputStream(ch);
            byte[] buf = new byte[65536];
            int n = in.read(buf);
            return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBodyRefusedWhileItIsStillComing_isReadToItsEnd_andTheClientReadsTheAnswer() throws Exception {
        java.nio.file.Path ro = java.nio.file.Files.createTempDirectory("ro-target");
        String bb = f.image("busybox");
        assertThat(f.run("pull", "-q", bb).code()).isZero();
        var create = f.run("create", "-v", ro + ":/ro:ro", bb, "true");
        assertThat(create.code()).as(create.all()).isZero();
        String id = create.out().strip();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(f.socket));
            OutputStream out = Channels.newOutputStream(ch);
            out.write(("PUT /v1.47/containers/" + id + "/archive?path=/ro HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-tar\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[512]; // the tar arrives slowly, as the docker CLI makes it: refused after its first block
            out.write(("200\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(500);
            for (int i = 0; i < 20; i++) { // the rest of it, which the daemon must still take
                out.write(("200\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] buf = new byte[4096];
            int n = Channels.newInputStream(ch).read(buf);
            String answer = new String(buf, 0, Math.max(0, n), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("read-only");
        } finally {
            f.run("rm", "-f", id);
        }
    }

    @Test
    void malformedJson_is400WithAMessage() throws Exception {
        byte[] body = "{\"Image\": ".getBytes();
        String r = exchange("POST /v1.47/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n", body, false);
        assertThat(r).startsWith("HTTP/1.1 400").contains("{\"message\":\"invalid JSON");
    }

    @Test
    void hugeBody_is413() throws Exception {
        byte[] body = new byte[5 << 20];
        java.util.Arrays.fill(body, (byte) ' ');
        String r = exchange("POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n", body, false);
        assertThat(r).startsWith("HTTP/1.1 413");
    }

    @Test
    void unknownRoute_tooOldVersion_wrongMethod() throws Exception {
        assertThat(exchange("GET /v1.47/nosuch HTTP/1.1\r\nHost: x\r\n\r\n", null, false)).startsWith("HTTP/1.1 404");
        assertThat(exchange("GET /v1.12/version HTTP/1.1\r\nHost: x\r\n\r\n", null, false)).startsWith("HTTP/1.1 400").contains("too old");
        assertThat(exchange("DELETE /version HTTP/1.1\r\nHost: x\r\n\r\n", null, false)).startsWith("HTTP/1.1 405");
        assertThat(exchange("GET /containers/nosuch/json HTTP/1.1\r\nHost: x\r\n\r\n", null, false))
                .startsWith("HTTP/1.1 404").contains("No such container: nosuch");
    }

    @Test
    void clientsThatVanishMidRequest_doNotWedgeTheDaemon() throws Exception {
        for (int i = 0; i < 50; i++) {
            exchange("POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", "{\"Ima".getBytes(), true);
            exchange("GET /events HTTP/1.1\r\nHost: x\r\n\r\n", null, true);
        }
        assertThat(f.run("version").code()).isZero();
        assertThat(exchange("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n", null, false)).startsWith("HTTP/1.1 200").endsWith("OK");
    }

    /** What Jetty refuses before routing (NUL in the path, a 100 KB path, 100 KB of headers) reads as Docker's errors. */
    @Test
    void refusedBeforeRouting_isADockerJsonMessage_andTheDaemonAnswersAfter() throws Exception {
        String nul = exchange("GET /v1.47/containers/a%00b/json HTTP/1.1\r\nHost: x\r\n\r\n", null, false);
        assertThat(nul).startsWith("HTTP/1.1 400").contains("application/json").contains("{\"message\":\"bad request");
        String longPath = exchange("GET /containers/" + "a".repeat(100_000) + "/json HTTP/1.1\r\nHost: x\r\n\r\n", null, false);
        assertThat(longPath).startsWith("HTTP/1.1 414").contains("{\"message\":\"bad request");
        String longName = exchange("POST /containers/create?name=" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", null, false);
        assertThat(longName).startsWith("HTTP/1.1 414").contains("{\"message\":");
        String headers = exchange("GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100_000) + "\r\n\r\n", null, false);
        assertThat(headers).startsWith("HTTP/1.1 431").contains("{\"message\":");
        assertThat(exchange("GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n", null, false)).startsWith("HTTP/1.1 200");
    }
}
