package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Reference;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v2/<repo>/blobs/<digest>}, from an offset with {@code Range: bytes=N-}. A {@code 206} must say it
 * starts at N ({@code Content-Range: bytes N-…}); a {@code 200} (range ignored) is read past its first N bytes.
 * The stream resumes the same way after a dropped connection ({@link ResumingInputStream}). The digest is not
 * checked here: the caller verifies what it reads.
 */
final class BlobPuller {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    private BlobPuller() {
    }

    /**
     * The blob's bytes from {@code offset} on; the first request is made now (so a missing blob fails here), later
     * ones when the connection drops.
     */
    static InputStream pull(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, Descriptor blob,
                            long offset, int maxStalls) {
        if (offset < 0 || (blob.size() >= 0 && offset > blob.size())) {
            throw AndockException.invalid("blob offset " + offset + " outside 0.." + blob.size());
        }
        return new ResumingInputStream(at -> open(transport, endpoints, repo, blob.digest(), at), offset, blob.size(),
                maxStalls, "fetch blob " + blob.digest());
    }

    static InputStream open(RegistryTransport transport, List<Endpoint> endpoints, Reference repo, Digest digest, long offset) {
        String path = "/v2/" + repo.repository() + "/blobs/" + digest;
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        RegistryRequest req = RegistryRequest.get(path, RegistryRequest.pullScope(repo.repository()), headers);
        return transport.call(endpoints, req, r -> body(r, repo, offset));
    }

    private static InputStream body(HttpResponse<InputStream> r, Reference repo, long offset) throws IOException {
        int s = r.statusCode();
        if (s == 206) {
            String range = r.headers().firstValue("Content-Range").orElse("");
            Matcher m = CONTENT_RANGE.matcher(range);
            if (!m.find() || Long.parseLong(m.group(1)) != offset) {
                RegistryErrors.readQuietly(r.body());
                throw new AndockException(Kind.UNAVAILABLE, "asked for bytes " + offset + "- and got \"" + range + "\"");
            }
            return r.body();
        }
        if (s == 200) {
            InputStream in = r.body();
            try {
                in.skipNBytes(offset);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return in;
        }
        throw RegistryErrors.of(r, "pull access denied for " + repo.familiarName());
    }
}
