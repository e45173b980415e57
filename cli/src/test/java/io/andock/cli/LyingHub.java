package io.andock.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;
import io.andock.image.Digest;
import io.andock.sync.SyncPack;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A hub in front of a real one that passes everything through but lies in its sync packs: each pack the real hub
 * makes is altered by {@code lie} (then named by its new digest, so that only the device's own checks can catch it).
 */
final class LyingHub implements AutoCloseable {
    private final HttpServer server;
    private final String upstream;
    private final UnaryOperator<byte[]> lie;
    private final Map<String, byte[]> packs = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    /** Pack responses to cut halfway (the device must resume with Range); the Range headers seen. */
    final java.util.concurrent.atomic.AtomicInteger cuts = new java.util.concurrent.atomic.AtomicInteger();
    final List<String> ranges = new java.util.concurrent.CopyOnWriteArrayList<>();

    LyingHub(String upstream, UnaryOperator<byte[]> lie) throws IOException {
        this.upstream = upstream;
        this.lie = lie;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getRawPath();
            if (path.contains("/_andock/sync/") && path.contains("/packs/")) {
                byte[] b = packs.get(path.substring(path.lastIndexOf('/') + 1));
                if (b == null) {
                    x.sendResponseHeaders(404, -1);
                    return;
                }
                String range = x.getRequestHeaders().getFirst("Range");
                ranges.add(range == null ? "-" : range);
                int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-.*", "$1"));
                if (from > 0) {
                    x.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (b.length - 1) + "/" + b.length);
                    x.sendResponseHeaders(206, b.length - from);
                } else {
                    x.sendResponseHeaders(200, b.length);
                }
                if (cuts.getAndDecrement() > 0) {
                    x.getResponseBody().write(b, from, (b.length - from) / 2); // then the connection drops
                    return;
                }
                x.getResponseBody().write(b, from, b.length - from);
                return;
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://" + upstream + x.getRequestURI()));
            for (String h : List.of("Content-Type", "Accept", "Range", "Authorization")) {
                String v = x.getRequestHeaders().getFirst(h);
                if (v != null) req.header(h, v);
            }
            byte[] body = x.getRequestBody().readAllBytes();
            req.method(x.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] out = r.body();
            if (path.endsWith("/plan") && r.statusCode() == 200 && new String(out, StandardCharsets.UTF_8).contains("\"pack\"")) {
                String answer = new String(out, StandardCharsets.UTF_8);
                String pack = answer.replaceAll(".*\"pack\":\"([^\"]+)\".*", "$1");
                String repo = path.substring("/v2/_andock/sync/".length(), path.length() - "/plan".length());
                byte[] real = http.send(HttpRequest.newBuilder(URI.create("http://" + upstream + "/v2/_andock/sync/" + repo + "/packs/" + pack)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body();
                byte[] fake = lie.apply(real);
                Digest d = Digest.sha256(fake);
                packs.put(d.toString(), fake);
                out = ("{\"pack\":\"" + d + "\",\"size\":" + fake.length + "}").getBytes(StandardCharsets.UTF_8);
            }
            for (String h : List.of("Content-Type", "Docker-Content-Digest", "Content-Range", "Location", "Docker-Distribution-API-Version")) {
                r.headers().firstValue(h).ifPresent(v -> x.getResponseHeaders().set(h, v));
            }
            boolean head = x.getRequestMethod().equals("HEAD");
            x.sendResponseHeaders(r.statusCode(), head || out.length == 0 ? -1 : out.length);
            if (!head) x.getResponseBody().write(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            x.sendResponseHeaders(502, -1);
        } finally {
            x.close();
        }
    }

    /** The pack with a byte of its last item flipped: a content that is not what the recipe names. */
    static byte[] wrongContents(byte[] pack) {
        byte[] b = pack.clone();
        b[b.length - 3] ^= 0x55;
        return b;
    }

    /** The pack whose recipe puts {@code ../../} in front of files: headers the device must never apply. */
    static byte[] dotDotRecipe(byte[] pack) {
        try {
            InputStream in = new ByteArrayInputStream(pack);
            SyncPack.Head head = SyncPack.Head.read(in, -1);
            byte[] rest = in.readAllBytes();
            byte[] recipe;
            try (InputStream z = new ZstdInputStream(new ByteArrayInputStream(head.recipe()))) {
                recipe = z.readAllBytes();
            }
            byte[] from = "./usr/bin/".getBytes(StandardCharsets.US_ASCII), to = "../../bin/".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i + from.length <= recipe.length; i++) {
                if (Arrays.equals(recipe, i, i + from.length, from, 0, from.length)) System.arraycopy(to, 0, recipe, i, to.length);
            }
            ByteArrayOutputStream zr = new ByteArrayOutputStream();
            try (ZstdOutputStream z = new ZstdOutputStream(zr)) {
                z.write(recipe);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            SyncPack.writeHeader(out, zr.toByteArray(), head.items());
            out.write(rest);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
