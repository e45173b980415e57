package io.andock.hub;

import io.andock.hub.auth.Access;
import io.andock.image.Digest;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blob upload endpoints of the registry's HTTP surface ({@link RegistryHandler} routes to them, checks the
 * repository is writable and the client may push): sessions, chunks, monolithic uploads and cross-repository
 * mounts, as the OCI distribution spec describes them.
 */
final class UploadEndpoints {
    private final Registry registry;
    private final Access access;

    UploadEndpoints(Registry registry, Access access) {
        this.registry = registry;
        this.access = access;
    }

    /** {@code POST /v2/NAME/blobs/uploads/}: a cross-repository mount, a monolithic upload, or a new session. */
    void post(Exchange x, String name) throws IOException {
        String mount = x.param("mount");
        if (mount != null) {
            Digest d = Names.digest(mount);
            String from = x.param("from");
            if (from != null) {
                from = Names.repository(from);
                if (!access.enabled() || access.allowed(x.id, from, "pull") || access.rights(x.id.user(), from).contains("pull")) {
                    if (registry.mount(name, d, from)) {
                        blobCreated(x, name, d);
                        return;
                    }
                }
            } else if (mayMountAnywhere(x) && registry.mount(name, d, null)) {
                blobCreated(x, name, d);
                return;
            }
            // not mountable: an ordinary upload session (the spec's 202 fallback)
        }
        String digest = x.param("digest");
        if (digest != null) {
            Digest d = Names.digest(digest);
            Registry.Upload up = registry.startUpload(name, d.algorithm());
            try {
                up.append(x.body(), null, contentLength(x));
                up.complete(d);
            } catch (RuntimeException e) {
                up.cancel();
                throw e;
            }
            blobCreated(x, name, d);
            return;
        }
        Registry.Upload up = registry.startUpload(name, "sha256");
        if (contentLength(x) > 0) {
            up.append(x.body(), null, contentLength(x));
        }
        status(x, up, 202);
    }

    /**
     * A mount without {@code from} would tell whether the hub holds a blob in any repository: only when no auth is
     * configured (with auth, the client gets an upload session instead, as the spec allows).
     */
    private boolean mayMountAnywhere(Exchange x) {
        return !access.enabled();
    }

    static long contentLength(Exchange x) {
        long n = x.req.getLength();
        return n;
    }

    /** {@code PATCH}: a chunk, at {@code Content-Range} when given. */
    void patch(Exchange x, String name, String id) throws IOException {
        Registry.Upload up = registry.upload(name, id);
        Long start = null;
        long length = contentLength(x);
        String cr = x.header("Content-Range");
        if (cr != null) {
            long[] r = parseContentRange(cr);
            start = r[0];
            long rl = r[1] - r[0] + 1;
            if (length >= 0 && length != rl) {
                throw OciError.sizeInvalid(400, "Content-Range " + Names.Printable.of(cr) + " is " + rl + " bytes, Content-Length " + length);
            }
            length = rl;
        }
        up.append(x.body(), start, length);
        status(x, up, 202);
    }

    /** {@code a-b} (also with a {@code bytes } prefix or a {@code /total} suffix). */
    static long[] parseContentRange(String h) {
        Matcher m = Pattern.compile("^(?:bytes[ =])?(\\d{1,19})-(\\d{1,19})(?:/(?:\\d{1,19}|\\*))?$").matcher(h.trim());
        if (!m.matches()) throw new OciError(416, "BLOB_UPLOAD_INVALID", "invalid Content-Range " + Names.Printable.of(h));
        try {
            long a = Long.parseLong(m.group(1)), b = Long.parseLong(m.group(2));
            if (b < a) throw new OciError(416, "BLOB_UPLOAD_INVALID", "invalid Content-Range " + Names.Printable.of(h));
            return new long[]{a, b};
        } catch (NumberFormatException e) {
            throw new OciError(416, "BLOB_UPLOAD_INVALID", "invalid Content-Range " + Names.Printable.of(h));
        }
    }

    /** {@code PUT ?digest=}: the last chunk, if any, and the check of the whole against the digest. */
    void put(Exchange x, String name, String id) throws IOException {
        Registry.Upload up = registry.upload(name, id);
        String digest = x.param("digest");
        if (digest == null) {
            up.cancel();
            throw OciError.digestInvalid("PUT without ?digest=");
        }
        Digest d;
        try {
            d = Names.digest(digest);
        } catch (OciError e) {
            up.cancel();
            throw e;
        }
        long length = contentLength(x);
        String cr = x.header("Content-Range");
        Long start = null;
        if (cr != null) {
            long[] r = parseContentRange(cr);
            start = r[0];
            length = r[1] - r[0] + 1;
        }
        if (length != 0) up.append(x.body(), start, length);
        up.complete(d);
        blobCreated(x, name, d);
    }

    private static void blobCreated(Exchange x, String name, Digest d) {
        x.header("Location", "/v2/" + name + "/blobs/" + d);
        x.header("Docker-Content-Digest", d.toString());
        x.empty(201);
    }

    /** An upload session's state: where to go on, how much the hub holds. */
    static void status(Exchange x, Registry.Upload up, int status) {
        x.header("Location", up.location());
        x.header("Range", Registry.range(up.size()));
        x.header("Docker-Upload-UUID", up.id);
        x.empty(status);
    }
}
