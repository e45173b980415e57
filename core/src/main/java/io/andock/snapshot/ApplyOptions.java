package io.andock.snapshot;

import io.andock.AndockException;

/**
 * How a layer is applied.
 *
 * @param privileged  create device nodes and set owners ({@code chown}); otherwise owners and modes are recorded
 *                    in {@link ApplyResult#ownership()} and device nodes are skipped with a warning. Defaults to
 *                    "effective uid is 0".
 * @param maxBytes    limit on the uncompressed tar stream of one layer, in bytes (the decompression-bomb guard);
 *                    default {@value #DEFAULT_MAX_BYTES}
 * @param maxEntries  limit on the number of entries of one layer; default {@value #DEFAULT_MAX_ENTRIES}
 */
public record ApplyOptions(boolean privileged, long maxBytes, long maxEntries) {
    /** 32 GiB: above any real image layer (the largest common ones, CUDA and ML images, stay under 10 GiB). */
    public static final long DEFAULT_MAX_BYTES = 32L << 30;
    public static final long DEFAULT_MAX_ENTRIES = 2_000_000;

    public ApplyOptions {
        if (maxBytes <= 0 || maxEntries <= 0) throw AndockException.invalid("apply limits must be positive");
    }

    /** Defaults for this process: privileged when the effective uid is 0. */
    public static ApplyOptions defaults() {
        return new ApplyOptions(ProcessIdentity.CURRENT.isRoot(), DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES);
    }

    public ApplyOptions withPrivileged(boolean p) {
        return new ApplyOptions(p, maxBytes, maxEntries);
    }

    public ApplyOptions withMaxBytes(long n) {
        return new ApplyOptions(privileged, n, maxEntries);
    }

    public ApplyOptions withMaxEntries(long n) {
        return new ApplyOptions(privileged, maxBytes, n);
    }
}
