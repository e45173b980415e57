package io.andock.transfer;

import java.io.InputStream;
import java.security.MessageDigest;

/** Opens a verified stream over a blob's bytes; see {@link ImageDestination#putBlob}. */
@FunctionalInterface
public interface BlobOpener {

    /**
     * The bytes from {@code offset} on. A destination that resumes passes the hash state of the first
     * {@code offset} bytes it holds, so the whole blob is still verified; {@code 0, null} reads it all.
     */
    InputStream open(long offset, MessageDigest prefixState);

    default InputStream open() {
        return open(0, null);
    }
}
