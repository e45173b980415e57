package io.andock.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code andock daemon} with the heap {@code bin/andock} gives it (64 MiB) under many parallel large JSON bodies:
 * each gets a clear error (413 over the bound, whether sized or chunked; the engine's own answer, or a 503 when
 * too many wait, under it) and the daemon keeps answering. 24 parallel 4 MiB create bodies used to kill it.
 */
class CliDaemonBodiesTest {
    @TempDir
    Path tmp;

    @Test
    void parallelOversizedAndLargeBodies_clearErrors_daemonStaysUp() throws Exception {
        Path socket = tmp.resolve("d.sock");
        List<String> cmd = new ArrayList<>(Andock.javaCommand());
        cmd.add(1, "-Xmx64m");
        cmd.addAll(List.of("--root", tmp.resolve("root").toString(), "daemon", "-H", "unix://" + socket));
        Process daemon = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("daemon.log").toFile()).start();
        ExecutorService pool = Executors.newFixedThreadPool(48);
        try {
            for (int i = 0; i < 300 && !Files.exists(socket); i++) Thread.sleep(100);
            assertThat(socket).as(Files.readString(tmp.resolve("daemon.log"))).exists();
            List<Future<String>> sized = new ArrayList<>();
            List<Future<String>> chunked = new ArrayList<>();
            List<Future<String>> large = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                sized.add(pool.submit(() -> post(socket, createBody(4 << 20), false)));
                chunked.add(pool.submit(() -> post(socket, createBody(3 << 20), true)));
                large.add(pool.submit(() -> post(socket, createBody(1_500_000), false)));
            }
            for (Future<String> r : sized) assertThat(r.get(120, TimeUnit.SECONDS)).startsWith("HTTP/1.1 413").contains("at most 2 MiB");
            for (Future<String> r : chunked) assertThat(r.get(120, TimeUnit.SECONDS)).startsWith("HTTP/1.1 413");
            for (Future<String> r : large) {
                // within the bound: the engine's answer (no such image), or 503 when too many large bodies wait
                assertThat(r.get(120, TimeUnit.SECONDS)).matches("(?s)HTTP/1.1 (404|503) .*\\{\"message\":\".+");
            }
            assertThat(daemon.isAlive()).as(Files.readString(tmp.resolve("daemon.log"))).isTrue();
            assertThat(Files.readString(tmp.resolve("daemon.log"))).doesNotContain("OutOfMemoryError");
            assertThat(get(socket, "/containers/json")).startsWith("HTTP/1.1 200");
        } finally {
            pool.shutdownNow();
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A create body of about {@code size} bytes: a real one with one huge label. */
    private static byte[] createBody(int size) {
        String head = "{\"Image\":\"nosuch-image:1\",\"Labels\":{\"big\":\"";
        StringBuilder b = new StringBuilder(size + 64).append(head);
        while (b.length() < size) b.append('x');
        return b.append("\"}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String post(Path socket, byte[] body, boolean chunked) throws IOException {
        String head = "POST /v1.43/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(ch);
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                if (chunked) {
                    for (int off = 0; off < body.length; off += 65536) {
                        int n = Math.min(65536, body.length - off);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(body, off, n);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } else {
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // the daemon answered (413) and closed before reading everything
            }
            return readReply(Channels.newInputStream(ch));
        }
    }

    private static String get(Path socket, String path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Channels.newOutputStream(ch).write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return readReply(Channels.newInputStream(ch));
        }
    }

    /** The status line, headers and the start of the body (enough for the message). */
    private static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while (got.size() < 16384 && (n = in.read(buf)) > 0) {
            got.write(buf, 0, n);
            String s = got.toString(StandardCharsets.UTF_8);
            if (s.contains("\r\n\r\n") && s.contains("\"}")) break;
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
