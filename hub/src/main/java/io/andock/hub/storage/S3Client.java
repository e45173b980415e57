package io.andock.hub.storage;

import io.andock.AndockException;
import io.andock.registry.IdleTimeoutInputStream;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few S3 actions the hub uses, path-style ({@code <endpoint>/<bucket>/<key>}) and signed with {@link S3Signer}:
 * HEAD, GET (with a range), PUT (bytes, a file or a stream of known length), server-side copy, DELETE and
 * ListObjectsV2. Bounds: a connect timeout, a timeout on every response's headers, an idle-read timeout on every
 * body, and responses read whole (errors, listings) at most {@link #MAX_SMALL} bytes. Idempotent requests whose body
 * can be sent again are retried on 5xx and dropped connections, three times with backoff.
 */
public final class S3Client {
    static final int MAX_SMALL = 8 << 20;
    private static final int ATTEMPTS = 3;
    private final HttpClient http;
    private final URI endpoint;
    private final String bucket;
    private final S3Signer signer;
    private final Duration timeout;

    /** What HEAD or a listing says of an object. */
    public record Head(long size, Instant modified) {}

    /** One page of a listing, all pages joined: keys with their heads, and the common prefixes (with the delimiter). */
    public record Listing(Map<String, Head> objects, List<String> prefixes) {}

    public S3Client(URI endpoint, String bucket, S3Signer signer, Duration timeout) {
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.signer = signer;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    private URI uri(String key, String query) {
        String path = endpoint.getRawPath().replaceAll("/+$", "") + "/" + bucket + (key == null ? "" : "/" + S3Signer.encode(key, true));
        return URI.create(endpoint.getScheme() + "://" + endpoint.getRawAuthority() + path + (query == null ? "" : "?" + query));
    }

    private HttpRequest.Builder request(String method, URI u, HttpRequest.BodyPublisher body, String payloadHash, Map<String, String> amz) {
        HttpRequest.Builder b = HttpRequest.newBuilder(u).timeout(timeout).method(method, body);
        signer.sign(method, u, amz, payloadHash, ZonedDateTime.now()).forEach(b::header);
        amz.forEach(b::header);
        return b;
    }

    private <T> HttpResponse<T> send(String what, java.util.function.Supplier<HttpRequest> req, HttpResponse.BodyHandler<T> handler, boolean retry) {
        IOException last = null;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<T> r = http.send(req.get(), handler);
                if (r.statusCode() < 500 || !retry || attempt == ATTEMPTS) return r;
                discard(r);
            } catch (IOException e) {
                last = e;
                if (!retry || attempt == ATTEMPTS) throw unavailable("s3 " + what + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("s3 " + what + ": interrupted");
            }
            try {
                Thread.sleep(100L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("s3 " + what + ": interrupted" + (last == null ? "" : " after " + last.getMessage()));
            }
        }
    }

    private static void discard(HttpResponse<?> r) {
        if (r.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // dropped with its connection
            }
        }
    }

    private static final byte[] EMPTY = new byte[0];
    private static final String EMPTY_HASH = S3Signer.sha256Hex(EMPTY);

    private HttpResponse<InputStream> simple(String method, String key, String query, byte[] body, Map<String, String> amz) {
        URI u = uri(key, query);
        byte[] b = body == null ? EMPTY : body;
        String hash = body == null ? EMPTY_HASH : S3Signer.sha256Hex(b);
        return send(method + " " + (key == null ? bucket : key),
                () -> request(method, u, HttpRequest.BodyPublishers.ofByteArray(b), hash, amz).build(), this::bounded, true);
    }

    private HttpResponse.BodySubscriber<InputStream> bounded(HttpResponse.ResponseInfo info) {
        return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(),
                in -> new IdleTimeoutInputStream(in, timeout, endpoint.getRawAuthority()));
    }

    public Optional<Head> head(String key) {
        HttpResponse<InputStream> r = simple("HEAD", key, null, null, Map.of());
        discard(r);
        if (r.statusCode() == 404) return Optional.empty();
        check(r, "HEAD " + key);
        long size = r.headers().firstValueAsLong("Content-Length").orElse(0);
        return Optional.of(new Head(size, lastModified(r)));
    }

    private static Instant lastModified(HttpResponse<?> r) {
        return r.headers().firstValue("Last-Modified")
                .map(s -> ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()).orElse(Instant.EPOCH);
    }

    /** The object's bytes from {@code offset}; NOT_FOUND when absent. */
    public InputStream get(String key, long offset) {
        URI u = uri(key, null);
        HttpResponse<InputStream> r = send("GET " + key, () -> {
            HttpRequest.Builder b = request("GET", u, HttpRequest.BodyPublishers.noBody(), EMPTY_HASH, Map.of());
            if (offset > 0) b.header("Range", "bytes=" + offset + "-");
            return b.build();
        }, this::bounded, true);
        if (r.statusCode() == 416) {
            discard(r);
            return InputStream.nullInputStream(); // asked from the end
        }
        if (r.statusCode() == 404) {
            discard(r);
            throw AndockException.notFound("s3 object " + key + " not found");
        }
        check(r, "GET " + key);
        return r.body();
    }

    /** The whole object when it has at most {@code max} bytes; CORRUPT when larger. */
    public Optional<byte[]> getBytes(String key, int max) {
        HttpResponse<InputStream> r = simple("GET", key, null, null, Map.of());
        if (r.statusCode() == 404) {
            discard(r);
            return Optional.empty();
        }
        check(r, "GET " + key);
        return Optional.of(readBounded(r, max, "GET " + key));
    }

    public void put(String key, byte[] value) {
        HttpResponse<InputStream> r = simple("PUT", key, null, value, Map.of());
        check(r, "PUT " + key);
        discard(r);
    }

    public void putFile(String key, Path file) {
        URI u = uri(key, null);
        HttpResponse<InputStream> r = send("PUT " + key, () -> {
            try {
                return request("PUT", u, HttpRequest.BodyPublishers.ofFile(file), S3Signer.UNSIGNED, Map.of()).build();
            } catch (java.io.FileNotFoundException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, this::bounded, true);
        check(r, "PUT " + key);
        discard(r);
    }

    /** Puts {@code length} bytes from a stream opened per attempt. */
    public void putStream(String key, java.util.function.Supplier<InputStream> body, long length) {
        URI u = uri(key, null);
        HttpResponse<InputStream> r = send("PUT " + key, () -> request("PUT", u,
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length),
                S3Signer.UNSIGNED, Map.of()).build(), this::bounded, true);
        check(r, "PUT " + key);
        discard(r);
    }

    /** Server-side copy of a whole object. */
    public void copy(String from, String to) {
        HttpResponse<InputStream> r = simple("PUT", to, null, null, Map.of("x-amz-copy-source", "/" + bucket + "/" + S3Signer.encode(from, true)));
        check(r, "copy " + from + " to " + to);
        // a copy can fail after its 200: the error is then in the body
        String body = new String(readBounded(r, MAX_SMALL, "copy " + from), StandardCharsets.UTF_8);
        if (body.contains("<Error>")) throw unavailable("s3 copy " + from + " to " + to + ": " + body);
    }

    public void delete(String key) {
        HttpResponse<InputStream> r = simple("DELETE", key, null, null, Map.of());
        if (r.statusCode() != 404) check(r, "DELETE " + key);
        discard(r);
    }

    /** Every object under {@code prefix}; with a delimiter, the deeper ones as common prefixes. */
    public Listing list(String prefix, String delimiter) {
        Map<String, Head> objects = new java.util.TreeMap<>();
        List<String> prefixes = new ArrayList<>();
        String token = null;
        do {
            StringBuilder query = new StringBuilder();
            if (token != null) query.append("continuation-token=").append(S3Signer.encode(token, false)).append('&');
            if (delimiter != null) query.append("delimiter=").append(S3Signer.encode(delimiter, false)).append('&');
            query.append("list-type=2&prefix=").append(S3Signer.encode(prefix, false));
            HttpResponse<InputStream> r = simple("GET", null, query.toString(), null, Map.of());
            check(r, "list " + prefix);
            Document doc = xml(readBounded(r, MAX_SMALL, "list " + prefix));
            NodeList contents = doc.getElementsByTagName("Contents");
            for (int i = 0; i < contents.getLength(); i++) {
                Element c = (Element) contents.item(i);
                objects.put(text(c, "Key"), new Head(Long.parseLong(text(c, "Size")), Instant.parse(text(c, "LastModified"))));
            }
            NodeList common = doc.getElementsByTagName("CommonPrefixes");
            for (int i = 0; i < common.getLength(); i++) prefixes.add(text((Element) common.item(i), "Prefix"));
            token = "true".equals(text(doc.getDocumentElement(), "IsTruncated")) ? text(doc.getDocumentElement(), "NextContinuationToken") : null;
        } while (token != null && !token.isEmpty());
        return new Listing(objects, prefixes);
    }

    /** Whether any object has a key starting with {@code prefix}. */
    public boolean any(String prefix) {
        HttpResponse<InputStream> r = simple("GET", null, "list-type=2&max-keys=1&prefix=" + S3Signer.encode(prefix, false), null, Map.of());
        check(r, "list " + prefix);
        return xml(readBounded(r, MAX_SMALL, "list " + prefix)).getElementsByTagName("Contents").getLength() > 0;
    }

    /** Creates the bucket unless it exists. */
    public void ensureBucket() {
        HttpResponse<InputStream> r = simple("HEAD", null, null, null, Map.of());
        discard(r);
        if (r.statusCode() == 200) return;
        if (r.statusCode() != 404) check(r, "HEAD bucket " + bucket);
        HttpResponse<InputStream> c = simple("PUT", null, null, null, Map.of());
        if (c.statusCode() != 409) check(c, "create bucket " + bucket);
        discard(c);
    }

    private void check(HttpResponse<InputStream> r, String what) {
        int s = r.statusCode();
        if (s / 100 == 2) return;
        String detail = "";
        try {
            byte[] b = readBounded(r, 64 * 1024, what);
            Document d = xml(b);
            detail = ": " + text(d.getDocumentElement(), "Code") + " " + text(d.getDocumentElement(), "Message");
        } catch (RuntimeException e) {
            // no XML error body (HEAD has none)
        }
        String msg = "s3 " + what + " in bucket " + bucket + " at " + endpoint + ": HTTP " + s + detail.stripTrailing();
        if (s == 404) throw AndockException.notFound(msg);
        if (s == 403) throw AndockException.invalid(msg + " (check the access key and secret)");
        throw unavailable(msg);
    }

    private static byte[] readBounded(HttpResponse<InputStream> r, int max, String what) {
        try (InputStream in = r.body()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) throw AndockException.corrupt("s3 " + what + ": more than " + max + " bytes");
            return b;
        } catch (IOException e) {
            throw unavailable("s3 " + what + ": " + e.getMessage());
        }
    }

    private static Document xml(byte[] b) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(b));
        } catch (Exception e) {
            throw AndockException.corrupt("s3: unreadable XML: " + e.getMessage());
        }
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }

    private static AndockException unavailable(String message) {
        return new AndockException(AndockException.Kind.UNAVAILABLE, message);
    }
}
