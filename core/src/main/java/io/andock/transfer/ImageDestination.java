package io.andock.transfer;

import io.andock.image.Descriptor;

import java.io.Closeable;

/**
 * Where an image is copied to: the local store, a registry, a docker-archive, an OCI layout.
 *
 * <p>Order of calls by {@link ImageCopier}: {@link #tryReuse} and {@link #putBlob} for the config and the layers
 * (layers from several threads at once), then {@link #putManifest} for each manifest, children before the index
 * that lists them, then {@link #commit} once; {@link #abort} instead of commit when the copy failed.
 *
 * <p>Verification is the copier's: the streams {@link BlobOpener} hands out end only after size and digest were
 * checked and fail with CORRUPT otherwise. A destination stores what it reads and publishes it only after reading
 * to the end; on an exception it discards it.
 */
public interface ImageDestination extends Closeable {

    String describe();

    /** True when the destination already holds this blob, so it is not copied. */
    boolean tryReuse(Descriptor blob);

    /** Stores one blob, read through {@code from}. Thread-safe. */
    void putBlob(Descriptor blob, BlobOpener from);

    /** Stores a manifest or index exactly as given. */
    void putManifest(RawManifest manifest);

    /** Ends a successful copy; {@code result.top()} is what the copy was asked for. */
    void commit(CopyResult result);

    /** Ends a failed copy: whatever is incomplete is discarded. */
    default void abort(Throwable cause) {
    }

    @Override
    default void close() {
    }
}
