package io.andock.content;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.image.Digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes a blob's bytes through while counting and hashing them, and fails with CORRUPT instead of returning end
 * of stream when they disagree with the descriptor. A reader that saw -1 therefore saw exactly the expected
 * bytes; one that got an exception must discard what it wrote. Never trusts the source: more bytes than the
 * descriptor's size fail at once.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final Descriptor expected;
    private final MessageDigest md;
    private long count;
    private boolean verified;

    /** Verifies a whole blob. */
    public VerifyingInputStream(InputStream in, Descriptor expected) {
        this(in, expected, 0, expected.digest().newDigester());
    }

    /** Verifies the rest of a blob whose first {@code offset} bytes were hashed into {@code prefixState}. */
    public VerifyingInputStream(InputStream in, Descriptor expected, long offset, MessageDigest prefixState) {
        super(in);
        this.expected = expected;
        this.md = prefixState;
        this.count = offset;
    }

    public Descriptor expected() {
        return expected;
    }

    /** True once end of stream was reached with size and digest matching. */
    public boolean verified() {
        return verified;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (verified) return -1;
        int n = in.read(b, off, len);
        if (n < 0) {
            check();
            return -1;
        }
        count += n;
        if (count > expected.size()) {
            throw AndockException.corrupt("size " + expected.size() + " expected, at least " + count + " received");
        }
        md.update(b, off, n);
        return n;
    }

    private void check() {
        if (count != expected.size()) {
            throw AndockException.corrupt("size " + expected.size() + " expected, " + count + " received");
        }
        Digest got = Digest.of(expected.digest().algorithm(), md);
        if (!got.equals(expected.digest())) {
            throw AndockException.corrupt("digest mismatch: expected " + expected.digest() + ", got " + got);
        }
        verified = true;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
