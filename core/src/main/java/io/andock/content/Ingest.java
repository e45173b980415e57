package io.andock.content;

import io.andock.image.Descriptor;

import java.io.Closeable;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * One blob being written. States: open → committed | aborted | closed. While open, the calling process holds the
 * per-digest lock, so no other thread or process writes the same blob; readers of the same process can follow the
 * growing file ({@link ContentStore#follow}).
 *
 * <p>Verification: {@link #commit()} publishes the blob only if exactly {@code expected.size} bytes were written
 * and they hash to {@code expected.digest}. When the bytes come through a {@link VerifyingInputStream} for the same
 * descriptor, that stream has already verified them and they are not hashed twice.
 */
public interface Ingest extends Closeable {

    Descriptor expected();

    /** True when the blob was already published when the ingest began: nothing to write, commit is a no-op. */
    boolean alreadyExists();

    /** Bytes already present from an earlier, interrupted ingest: write the rest from here on. */
    long offset();

    /** A copy of the hash state over the first {@link #offset()} bytes, for a verifier that resumes. */
    MessageDigest hashState();

    /** Appends the whole stream. A stream longer than expected fails with CORRUPT and aborts the ingest. */
    void write(InputStream in);

    /** Verifies, fsyncs and atomically publishes the blob; CORRUPT (and the partial data deleted) on a mismatch. */
    Descriptor commit();

    /** Deletes the partial data; followers fail with {@code cause}. */
    void abort(Throwable cause);

    /** Ends an uncommitted ingest, keeping its partial data so a later ingest resumes it. */
    @Override
    void close();
}
