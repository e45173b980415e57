package io.andock.registry;

import io.andock.AndockException;
import io.andock.transfer.TransferListener;

/**
 * How a {@link RegistryDestination} pushes.
 *
 * @param listener       push progress as Docker prints it: {@code Preparing}, {@code Waiting}, {@code Pushing}
 *                       (bytes), {@code Pushed}, {@code Layer already exists}, {@code Mounted from <repo>}, then
 *                       the message {@code <tag>: digest: sha256:… size: N}; config blobs are not reported
 * @param origins        where blobs may already be, for cross-repository mounts
 * @param chunkThreshold blobs larger than this are uploaded in chunks (PATCH), smaller ones in one PUT
 * @param chunkSize      bytes per PATCH
 * @param mountAttempts  mounts tried per blob before uploading it (Docker: 3)
 */
public record PushOptions(TransferListener listener, BlobOrigins origins, long chunkThreshold, long chunkSize,
                          int mountAttempts) {
    public static final long DEFAULT_CHUNK_THRESHOLD = 32L << 20;
    public static final long DEFAULT_CHUNK_SIZE = 32L << 20;

    public PushOptions {
        if (listener == null) listener = TransferListener.NONE;
        if (origins == null) origins = BlobOrigins.NONE;
        if (chunkThreshold < 0) throw AndockException.invalid("chunk threshold must not be negative");
        if (chunkSize < 1) throw AndockException.invalid("chunk size must be positive");
        if (mountAttempts < 0) throw AndockException.invalid("mount attempts must not be negative");
    }

    public static PushOptions defaults() {
        return new PushOptions(null, null, DEFAULT_CHUNK_THRESHOLD, DEFAULT_CHUNK_SIZE, 3);
    }

    public PushOptions withListener(TransferListener l) {
        return new PushOptions(l, origins, chunkThreshold, chunkSize, mountAttempts);
    }

    public PushOptions withOrigins(BlobOrigins o) {
        return new PushOptions(listener, o, chunkThreshold, chunkSize, mountAttempts);
    }

    public PushOptions withChunking(long threshold, long size) {
        return new PushOptions(listener, origins, threshold, size, mountAttempts);
    }
}
