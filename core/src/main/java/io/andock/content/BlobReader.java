package io.andock.content;

import io.andock.image.Digest;

import java.io.InputStream;

/**
 * Reads published blobs (containerd's Provider). A blob is visible here only after it was verified against its
 * digest and size and renamed into place, so what is read is always whole and correct. Thread-safe.
 */
public interface BlobReader {

    boolean exists(Digest digest);

    /** The size in bytes; NOT_FOUND when the blob is absent. */
    long size(Digest digest);

    /** The bytes; NOT_FOUND when the blob is absent. */
    InputStream open(Digest digest);

    /** The whole blob in memory: for manifests and configs only. */
    default byte[] readAll(Digest digest) {
        try (InputStream in = open(digest)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw io.andock.AndockException.wrap("read blob " + digest, e);
        }
    }
}
