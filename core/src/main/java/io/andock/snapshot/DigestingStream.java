package io.andock.snapshot;

import io.andock.AndockException;
import io.andock.image.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Hashes and counts what is read through it, and stops with CORRUPT past {@code limit} bytes. */
final class DigestingStream extends FilterInputStream {
    private final MessageDigest sha256 = Digest.sha256Digester();
    private final long limit;
    private long count;

    DigestingStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    long count() {
        return count;
    }

    long remainingAllowance() {
        return limit - count;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw AndockException.corrupt("layer is larger than the limit of " + limit
                        + " uncompressed bytes (decompression bomb?)");
            }
            sha256.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    /** Reads everything left (end-of-archive padding, trailing bytes) so that the digest covers the whole stream. */
    void drain(byte[] buf) throws IOException {
        while (read(buf, 0, buf.length) >= 0) {
            // counted and hashed
        }
    }

    Digest digest() {
        return Digest.of("sha256", sha256);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
