package io.andock.hub;

import io.andock.image.Digest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends stored content the registry's HTTP surface ({@link RegistryHandler}) has found and allowed: a blob or a sync
 * pack, whole or one {@code Range}, from its file where the storage has one, else streamed from the storage.
 */
final class BlobSender {
    private final Registry registry;
    private final Metrics metrics;

    BlobSender(Registry registry, Metrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    /**
     * Sends a file's range straight from the file through Jetty's pooled direct buffers: the bytes are copied once
     * into native memory and once into the socket, never through the heap (a heap array costs two copies more and
     * garbage per request).
     */
    private static void sendFile(Exchange x, java.nio.file.Path file, long start, long length) throws IOException {
        ByteBufferPool.Sized pool = new ByteBufferPool.Sized(x.req.getComponents().getByteBufferPool(), true, BUFFER);
        try (Blocker.Callback sent = Blocker.callback()) {
            Content.copy(Content.Source.from(pool, file, start, length), x.resp, sent);
            sent.block();
        }
        x.bytesOut += length;
        x.done = true;
        x.cb.succeeded();
    }

    static final int BUFFER = 64 * 1024;


    /** A stored blob (or sync pack) of {@code size} bytes, whole or the asked {@code Range}. */
    void send(Exchange x, Digest d, long size) throws IOException {
        x.header("Docker-Content-Digest", d.toString());
        x.header("Accept-Ranges", "bytes");
        x.header("Content-Type", "application/octet-stream");
        long start = 0, end = size - 1;
        int status = 200;
        String range = x.header("Range");
        if (range != null && x.method.equals("GET")) {
            long[] r = parseRange(range, size);
            if (r == null) {
                throw new OciError(416, "BLOB_UNKNOWN", "range " + Names.Printable.of(range) + " not satisfiable for " + size + " bytes")
                        .header("Content-Range", "bytes */" + size);
            }
            start = r[0];
            end = r[1];
            status = 206;
            x.header("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        long length = end - start + 1;
        x.status = status;
        x.resp.setStatus(status);
        x.resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, Math.max(length, 0));
        if (x.method.equals("HEAD") || length <= 0) {
            x.done = true;
            x.resp.write(true, BufferUtil.EMPTY_BUFFER, x.cb);
            return;
        }
        metrics.blobServed();
        Optional<java.nio.file.Path> file = registry.storage().blobFile(d);
        if (file.isPresent()) {
            sendFile(x, file.get(), start, length);
            return;
        }
        try (InputStream in = registry.openBlob(d, start)) {
            OutputStream out = Content.Sink.asOutputStream(x.resp);
            byte[] buf = new byte[128 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new IOException("blob " + d + " ended early");
                out.write(buf, 0, n);
                x.bytesOut += n;
                left -= n;
            }
            out.close();
            x.done = true;
            x.cb.succeeded();
        }
    }

    /** {@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}: [start, end] within size, or null. */
    static long[] parseRange(String h, long size) {
        Matcher m = Pattern.compile("^bytes=(\\d{0,19})-(\\d{0,19})$").matcher(h.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) return null;
        try {
            if (m.group(1).isEmpty()) {
                long n = Long.parseLong(m.group(2));
                if (n == 0 || size == 0) return null;
                return new long[]{Math.max(0, size - n), size - 1};
            }
            long a = Long.parseLong(m.group(1));
            long b = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (a >= size || b < a) return null;
            return new long[]{a, b};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
