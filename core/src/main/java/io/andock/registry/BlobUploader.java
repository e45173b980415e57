package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.transfer.BlobOpener;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A blob upload (distribution spec "pushing blobs"):
 * <ol>
 *   <li>{@link #start}: {@code POST /v2/<repo>/blobs/uploads/} → 202 + {@code Location} (or the session a
 *       refused mount opened);</li>
 *   <li>{@link #monolithic}: {@code PUT <location>&digest=<d>} with the whole blob → 201; or
 *       {@link #chunked}: per chunk {@code PATCH <location>} with {@code Content-Range: <from>-<to>} → 202, a new
 *       {@code Location} and {@code Range: 0-<to>}; then {@code PUT <location>&digest=<d>} without body → 201.</li>
 * </ol>
 * Bodies stream from the {@link BlobOpener}: each request opens it at its offset, passing the hash state of the
 * bytes before (so a verifying opener still checks the whole blob, on the last request) — and so a request
 * refused with 401 can be sent again. The registry checks the digest too: its {@code DIGEST_INVALID} or
 * {@code SIZE_INVALID} is CORRUPT, like a failure of the opener's own check. Upload steps are not retried
 * (they are not idempotent); a failed upload is cancelled with {@code DELETE <location>}.
 */
final class BlobUploader {

    private BlobUploader() {
    }

    static UploadSession start(RegistryTransport transport, List<Endpoint> origin, Reference repo) {
        String path = "/v2/" + repo.repository() + "/blobs/uploads/";
        // Repeating the POST is safe: at worst the registry holds an unused session until it purges it.
        RegistryRequest req = new RegistryRequest("POST", path, Map.of(), RegistryRequest.pushScope(repo.repository()),
                RegistryRequest.Body.of(new byte[0]), true);
        return transport.call(origin, req, r -> {
            if (r.statusCode() != 202) throw RegistryErrors.of(r, denied(repo));
            UploadSession s = UploadSession.from(r);
            RegistryErrors.readQuietly(r.body());
            return s;
        });
    }

    /** The whole blob in one PUT. */
    static void monolithic(RegistryTransport transport, List<Endpoint> origin, Reference repo, UploadSession session,
                           Descriptor blob, BlobOpener from, LongConsumer progress) {
        Chunk body = new Chunk(from, blob, 0, blob.size(), initialState(blob), progress);
        RegistryRequest put = new RegistryRequest("PUT", session.withParam("digest", blob.digest().toString()),
                Map.of("Content-Type", "application/octet-stream"), RegistryRequest.pushScope(repo.repository()),
                body.body(), false);
        body.send(() -> transport.call(session.endpoint(origin), put, r -> finish(r, repo, blob)));
    }

    /** PATCH chunks of {@code chunkSize} bytes (an empty blob: none), then PUT the digest. */
    static void chunked(RegistryTransport transport, List<Endpoint> origin, Reference repo, UploadSession session,
                        Descriptor blob, BlobOpener from, long chunkSize, LongConsumer progress) {
        if (chunkSize < 1) throw AndockException.invalid("chunk size must be positive");
        String scope = RegistryRequest.pushScope(repo.repository());
        UploadSession at = session;
        MessageDigest state = initialState(blob);
        for (long off = 0; off < blob.size(); off += chunkSize) {
            long len = Math.min(chunkSize, blob.size() - off);
            long end = off + len - 1;
            Chunk chunk = new Chunk(from, blob, off, len, state, progress);
            RegistryRequest patch = new RegistryRequest("PATCH", at.url(),
                    Map.of("Content-Type", "application/octet-stream", "Content-Range", off + "-" + end), scope,
                    chunk.body(), false);
            List<Endpoint> eps = at.endpoint(origin);
            at = chunk.send(() -> transport.call(eps, patch, r -> accepted(r, repo, end)));
            state = chunk.stateAfter();
        }
        RegistryRequest put = new RegistryRequest("PUT", at.withParam("digest", blob.digest().toString()),
                Map.of("Content-Type", "application/octet-stream"), scope, RegistryRequest.Body.of(new byte[0]), false);
        transport.call(at.endpoint(origin), put, r -> finish(r, repo, blob));
    }

    /** {@code DELETE <location>}: gives an unfinished session back; never fails. */
    static void cancel(RegistryTransport transport, List<Endpoint> origin, Reference repo, UploadSession session) {
        RegistryRequest del = new RegistryRequest("DELETE", session.url(), Map.of(),
                RegistryRequest.pushScope(repo.repository()), null, true);
        try {
            transport.call(session.endpoint(origin), del, r -> RegistryErrors.readQuietly(r.body()));
        } catch (AndockException ignored) {
            // the registry purges abandoned sessions itself
        }
    }

    private static UploadSession accepted(HttpResponse<InputStream> r, Reference repo, long end) {
        if (r.statusCode() != 202 && r.statusCode() != 204) throw RegistryErrors.of(r, denied(repo));
        String range = r.headers().firstValue("Range").orElse(null);
        if (range != null && !range.replaceFirst("^bytes=", "").trim().equals("0-" + end)) {
            RegistryErrors.readQuietly(r.body());
            throw new AndockException(Kind.UNAVAILABLE, "registry holds bytes " + range + " of the upload, expected 0-" + end);
        }
        UploadSession next = UploadSession.from(r);
        RegistryErrors.readQuietly(r.body());
        return next;
    }

    private static Void finish(HttpResponse<InputStream> r, Reference repo, Descriptor blob) {
        int s = r.statusCode();
        if (s == 201 || s == 204) {
            RegistryErrors.readQuietly(r.body());
            String said = r.headers().firstValue("Docker-Content-Digest").orElse(null);
            if (said != null && Digest.isDigest(said) && !Digest.parse(said).equals(blob.digest())) {
                throw AndockException.corrupt("registry stored the blob as " + said + ", not " + blob.digest());
            }
            return null;
        }
        byte[] body = RegistryErrors.readQuietly(r.body());
        AndockException e = RegistryErrors.of(s, body, denied(repo));
        List<String> codes = RegistryErrors.codes(body);
        if (codes.contains("DIGEST_INVALID") || codes.contains("SIZE_INVALID")) {
            throw AndockException.corrupt("registry rejected the upload of " + blob.digest() + " ("
                    + blob.size() + " bytes): " + e.getMessage());
        }
        throw e;
    }

    static String denied(Reference repo) {
        return "push access denied for " + repo.familiarName();
    }

    private static MessageDigest initialState(Descriptor blob) {
        return blob.digest().newDigester();
    }

    /**
     * The body of one request: bytes {@code offset..offset+length} of the blob, opened anew for each send with a
     * copy of the hash state at {@code offset}; remembers the state after the send that got through.
     */
    private static final class Chunk {
        private final BlobOpener from;
        private final Descriptor blob;
        private final long offset;
        private final long length;
        private final MessageDigest stateBefore;
        private final LongConsumer progress;
        private final List<UploadStream> opened = new ArrayList<>();
        private MessageDigest stateAfter;

        Chunk(BlobOpener from, Descriptor blob, long offset, long length, MessageDigest stateBefore, LongConsumer progress) {
            this.from = from;
            this.blob = blob;
            this.offset = offset;
            this.length = length;
            this.stateBefore = stateBefore;
            this.progress = progress;
        }

        RegistryRequest.Body body() {
            return new RegistryRequest.Body(length, this::open);
        }

        private synchronized InputStream open() {
            MessageDigest md = copy(stateBefore);
            UploadStream s = new UploadStream(from.open(offset, md), offset, length,
                    offset + length == blob.size(), progress);
            opened.add(s);
            stateAfter = md;
            return s;
        }

        /** Runs the request; a failure of the source (CORRUPT, a read error) wins over the HTTP error it caused. */
        <T> T send(java.util.function.Supplier<T> request) {
            try {
                return request.get();
            } catch (AndockException e) {
                RuntimeException src = sourceFailure();
                throw src != null ? src : e;
            } finally {
                closeAll();
            }
        }

        synchronized MessageDigest stateAfter() {
            return stateAfter;
        }

        private synchronized RuntimeException sourceFailure() {
            for (UploadStream s : opened) if (s.failure() != null) return s.failure();
            return null;
        }

        private synchronized void closeAll() {
            for (UploadStream s : opened) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a source stream that fails to close changes nothing here
                }
            }
            opened.clear();
        }

        private static MessageDigest copy(MessageDigest md) {
            try {
                return (MessageDigest) md.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("digest state cannot be copied", e);
            }
        }
    }
}
