package io.andock.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 front for a registry, on real sockets: answers the next {@link #failNext N} requests itself
 * with an error status (and optional Retry-After), and can {@link #ignoreRange() ignore Range} (drops the header,
 * so the registry answers 200 with the whole blob). Everything else is forwarded with {@code Connection: close}.
 * Records each request line with its fate.
 */
final class FlakyFront implements AutoCloseable {
    private final String upstreamHost;
    private final int upstreamPort;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flaky-front");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failStatus;
    private volatile String retryAfter;
    private volatile String extraHeader;
    private volatile boolean ignoreRange;
    private volatile String rewriteFrom, rewriteTo;
    private final List<String> log = new CopyOnWriteArrayList<>();

    FlakyFront(String upstream) {
        int colon = upstream.lastIndexOf(':');
        upstreamHost = upstream.substring(0, colon);
        upstreamPort = Integer.parseInt(upstream.substring(colon + 1));
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pool.execute(this::accept);
    }

    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    FlakyFront failNext(int count, int status, String retryAfterHeader) {
        return failNext(count, status, retryAfterHeader, null);
    }

    /** @param header a whole extra header line for the failures, e.g. a {@code WWW-Authenticate} challenge */
    FlakyFront failNext(int count, int status, String retryAfterHeader, String header) {
        failStatus = status;
        retryAfter = retryAfterHeader;
        extraHeader = header;
        failures.set(count);
        return this;
    }

    FlakyFront ignoreRange() {
        ignoreRange = true;
        return this;
    }

    /** Forwards requests for path {@code from} as requests for {@code to} (a mirror serving the wrong thing). */
    FlakyFront rewrite(String from, String to) {
        rewriteFrom = from;
        rewriteTo = to;
        return this;
    }

    /** "503 GET /v2/…" for answered-here requests, "fwd GET /v2/… [Range]" for forwarded ones. */
    List<String> log() {
        return List.copyOf(log);
    }

    long count(String prefix) {
        return log.stream().filter(l -> l.startsWith(prefix)).count();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                pool.execute(() -> serve(s));
            } catch (IOException e) {
                if (server.isClosed()) return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            String head = readHead(client.getInputStream());
            if (head == null) return;
            String[] lines = head.split("\r\n");
            String requestLine = lines[0].substring(0, lines[0].lastIndexOf(' '));
            OutputStream out = client.getOutputStream();
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                log.add(failStatus + " " + requestLine);
                String body = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"flaky front says " + failStatus + "\"}]}";
                out.write(("HTTP/1.1 " + failStatus + " Flaky\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + (retryAfter != null ? "\r\nRetry-After: " + retryAfter : "")
                        + (extraHeader != null ? "\r\n" + extraHeader : "")
                        + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            String first = rewriteFrom != null ? lines[0].replace(" " + rewriteFrom + " ", " " + rewriteTo + " ") : lines[0];
            StringBuilder fwd = new StringBuilder(first).append("\r\n");
            String range = "";
            for (int i = 1; i < lines.length; i++) {
                String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).trim();
                if (name.equalsIgnoreCase("Connection")) continue;
                if (name.equalsIgnoreCase("Range")) {
                    range = " [" + lines[i].substring(lines[i].indexOf(':') + 1).trim() + "]";
                    if (ignoreRange) continue;
                }
                fwd.append(lines[i]).append("\r\n");
            }
            fwd.append("Connection: close\r\n\r\n");
            log.add("fwd " + requestLine + range);
            try (Socket up = new Socket(upstreamHost, upstreamPort)) {
                up.getOutputStream().write(fwd.toString().getBytes(StandardCharsets.ISO_8859_1));
                up.getInputStream().transferTo(out);
            }
        } catch (IOException ignored) {
            // a side hung up
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) return s;
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
