package io.andock.registry;

import io.andock.AndockException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * What one upload request sends: {@code length} bytes of a source stream that starts at blob offset
 * {@code offset}. When the slice ends the blob ({@code last}), one more read must find the source's end: that
 * read is where a verifying source checks size and digest, so a corrupt blob fails the request before it
 * completes. Reports the blob offset reached to {@code progress}, and keeps the first failure of the source, so
 * the caller can report it rather than the HTTP client's "request body failed".
 */
final class UploadStream extends FilterInputStream {
    private final long offset;
    private final long length;
    private final boolean last;
    private final LongConsumer progress;
    private long sent;
    private volatile RuntimeException failure;

    UploadStream(InputStream source, long offset, long length, boolean last, LongConsumer progress) {
        super(source);
        this.offset = offset;
        this.length = length;
        this.last = last;
        this.progress = progress;
    }

    /** The source's failure, if it failed (CORRUPT from a verifying source, an I/O error reading it). */
    RuntimeException failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            if (sent == length) {
                if (last && in.read() >= 0) throw AndockException.corrupt("more than " + (offset + length) + " bytes");
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, length - sent));
            if (n < 0) {
                throw AndockException.corrupt("size " + (offset + length) + " expected, " + (offset + sent) + " received");
            }
            sent += n;
            progress.accept(offset + sent);
            return n;
        } catch (IOException e) {
            if (failure == null) failure = AndockException.wrap("read source", e);
            throw e;
        } catch (RuntimeException e) {
            if (failure == null) failure = e;
            throw e;
        }
    }

    @Override
    public long skip(long n) {
        return 0;
    }
}
