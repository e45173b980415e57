package io.andock.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A loopback HTTP/1.1 proxy in front of a registry ({@code new CuttingProxy(registry.host())}; point
 * clients at {@link #host()}). Every request is forwarded with {@code Connection: close}, so one
 * connection carries one request. When {@link #cutNextBlob armed}, the next successful (2xx)
 * response to a {@code GET /v2/<name>/blobs/<digest>} gets its headers and the first N body bytes
 * through, then the connection is closed (FIN) mid-body; later requests pass untouched. Counts
 * connections and records each request's method, path and Range header, so a test can prove a
 * client resumed with {@code Range}.
 *
 * <p>{@link #stallNextBlobs} and {@link #stallNextManifests} imitate a stalled registry instead: the response's
 * headers and first N body bytes get through, then nothing more while the connection stays open (until the client
 * gives up or the proxy closes).
 */
public final class CuttingProxy implements AutoCloseable {
    private static final Pattern BLOB = Pattern.compile("^/v2/.+/blobs/[a-z0-9]+:[a-f0-9]+(\\?.*)?$");
    private static final Pattern MANIFEST = Pattern.compile("^/v2/.+/manifests/[^/]+$");

    /**
     * One proxied request; {@code range} null without a Range header; {@code cut} true if its response was cut,
     * {@code stalled} if it was stalled.
     */
    public record Request(String method, String path, String range, boolean cut, boolean stalled) {}

    private final String upstreamHost;
    private final int upstreamPort;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "andock-cutting-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger armed = new AtomicInteger();
    private volatile long cutAfter;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger blobStalls = new AtomicInteger();
    private final AtomicInteger manifestStalls = new AtomicInteger();
    private volatile long stallAfter;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    /** @param upstream "host:port" of the registry */
    public CuttingProxy(String upstream) {
        int colon = upstream.lastIndexOf(':');
        upstreamHost = upstream.substring(0, colon);
        upstreamPort = Integer.parseInt(upstream.substring(colon + 1));
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pool.execute(this::acceptLoop);
    }

    /** "127.0.0.1:PORT" of the proxy. */
    public String host() { return "127.0.0.1:" + server.getLocalPort(); }

    /** Cut the next blob response after {@code bodyBytes} bytes of its body. */
    public void cutNextBlob(long bodyBytes) { cutNextBlobs(bodyBytes, 1); }

    /** Cut the next {@code times} blob responses after {@code bodyBytes} bytes of body each. */
    public void cutNextBlobs(long bodyBytes, int times) {
        cutAfter = bodyBytes;
        armed.set(times);
    }

    /** Stall the next {@code times} blob responses after {@code bodyBytes} bytes of body each. */
    public void stallNextBlobs(long bodyBytes, int times) {
        stallAfter = bodyBytes;
        blobStalls.set(times);
    }

    /** Stall the next {@code times} manifest responses (GET) after {@code bodyBytes} bytes of body each. */
    public void stallNextManifests(long bodyBytes, int times) {
        stallAfter = bodyBytes;
        manifestStalls.set(times);
    }

    public long stalls() { return requests.stream().filter(Request::stalled).count(); }

    /** Cuts still pending. */
    public int armed() { return armed.get(); }

    public int connections() { return connections.get(); }

    public List<Request> requests() { return List.copyOf(requests); }

    /** The Range headers seen, in order. */
    public List<String> rangeHeaders() { return requests.stream().map(Request::range).filter(r -> r != null).toList(); }

    public long cuts() { return requests.stream().filter(Request::cut).count(); }

    /** Forgets counters and requests, disarms. */
    public void reset() {
        armed.set(0);
        blobStalls.set(0);
        manifestStalls.set(0);
        connections.set(0);
        requests.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                pool.execute(() -> serve(client));
            } catch (IOException e) {
                if (!server.isClosed()) continue;
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket up = new Socket(upstreamHost, upstreamPort)) {
            InputStream cin = client.getInputStream();
            String head = readHead(cin);
            if (head == null) return;
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            String method = requestLine[0], path = requestLine.length > 1 ? requestLine[1] : "";
            String range = null;
            StringBuilder out = new StringBuilder(lines[0]).append("\r\n");
            for (int i = 1; i < lines.length; i++) {
                String name = lines[i].contains(":") ? lines[i].substring(0, lines[i].indexOf(':')).trim() : "";
                if (name.equalsIgnoreCase("Range")) range = lines[i].substring(lines[i].indexOf(':') + 1).trim();
                if (name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Keep-Alive") || name.equalsIgnoreCase("Proxy-Connection")) continue;
                out.append(lines[i]).append("\r\n");
            }
            out.append("Connection: close\r\n\r\n");
            OutputStream uout = up.getOutputStream();
            uout.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
            uout.flush();
            // the request body (uploads), if any, streams on in the background
            pool.execute(() -> {
                try {
                    cin.transferTo(uout);
                    up.shutdownOutput();
                } catch (IOException ignored) {
                    // the other side closed
                }
            });
            InputStream uin = up.getInputStream();
            OutputStream cout = client.getOutputStream();
            boolean blobGet = method.equals("GET") && BLOB.matcher(path).matches();
            boolean manifestGet = method.equals("GET") && MANIFEST.matcher(path.replaceFirst("\\?.*", "")).matches();
            AtomicInteger counter = blobGet && armed.get() > 0 ? armed : blobGet && blobStalls.get() > 0 ? blobStalls
                    : manifestGet && manifestStalls.get() > 0 ? manifestStalls : null;
            if (counter == null) {
                requests.add(new Request(method, path, range, false, false));
                uin.transferTo(cout);
                return;
            }
            String respHead = readHead(uin);
            if (respHead == null) return;
            cout.write(respHead.getBytes(StandardCharsets.ISO_8859_1));
            String status = respHead.split(" ", 3)[1];
            boolean hit = status.startsWith("2") && counter.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            boolean stall = hit && counter != armed;
            requests.add(new Request(method, path, range, hit && !stall, stall));
            if (!hit) {
                uin.transferTo(cout);
                return;
            }
            long left = stall ? stallAfter : cutAfter;
            byte[] buf = new byte[8192];
            while (left > 0) {
                int n = uin.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) break;
                cout.write(buf, 0, n);
                left -= n;
            }
            cout.flush();
            if (stall) {
                closed.await(); // the connection stays open and silent; the client must give up by itself
                return;
            }
            client.shutdownOutput();   // FIN in the middle of the body
        } catch (IOException ignored) {
            // a client or the registry hung up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    /** Reads up to and including the blank line; returns it as ISO-8859-1, or null at EOF. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c, state = 0;
        while ((c = in.read()) >= 0) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) return b.toString(StandardCharsets.ISO_8859_1);
            if (b.size() > 65536) throw new IOException("header too long");
        }
        return null;
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        pool.shutdownNow();
    }

    /** Requests to blob URLs, in order. */
    public List<Request> blobRequests() {
        List<Request> l = new ArrayList<>();
        for (Request r : requests) if (BLOB.matcher(r.path()).matches()) l.add(r);
        return l;
    }
}
