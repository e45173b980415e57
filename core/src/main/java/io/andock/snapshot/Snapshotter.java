package io.andock.snapshot;

import io.andock.image.Digest;
import io.andock.image.MediaTypes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stores unpacked layer chains (snapshots) as directories a runtime can use as a rootfs.
 *
 * <h2>Terms</h2>
 * A <em>chain</em> is an ordered list of layers; its <em>chain ID</em> is the OCI ChainID of their diff_ids
 * ({@link io.andock.image.ImageConfig#chainIds}), so two images sharing their layers share the chain. A
 * <em>snapshot</em> is the complete, verified result of applying a chain, identified by its chain ID. A snapshot is
 * either absent or complete: partial work lives under a private temporary name and is published by one atomic
 * rename, so {@link #rootfs} never returns a half-unpacked tree, and a temporary left by a killed process is removed
 * by a later {@link #prepare} or {@link #remove} (never mistaken for a snapshot).
 *
 * <h2>Who does what</h2>
 * The puller hands {@link #prepare} the chain's layer blobs in order, with their expected diff_ids; the snapshotter
 * decompresses, applies ({@link LayerApplier}), and verifies every diff_id itself before publishing. Snapshots are
 * immutable once published: a container must not write into {@link #rootfs}; it gets an overlay with this rootfs as
 * lowerdir, or a private copy ({@code io.andock.container.ContainerRootfs}). {@link #remove} does not know about users of a snapshot: the caller
 * (image and container bookkeeping) decides when it is unused.
 *
 * <h2>Concurrency</h2>
 * All methods are safe to call from several threads and several processes sharing the same store: work on one chain
 * ID is serialized by a per-chain file lock; a second {@code prepare} of the same chain waits for the first and then
 * reuses its result.
 */
public interface Snapshotter {

    /** An I/O supplier: {@code open} of a blob may fail. */
    @FunctionalInterface
    interface IOSupplier<T> {
        T get() throws IOException;
    }

    /**
     * One layer of a chain.
     *
     * @param diffId      the expected sha256 of the uncompressed tar (from the image config)
     * @param compression how the blob is compressed ({@code DETECT} is fine)
     * @param open        opens the compressed blob; may return a stream that blocks while a download is still
     *                    writing the blob. Called at most once per {@code prepare}; the stream is closed by the
     *                    snapshotter
     */
    record LayerInput(Digest diffId, MediaTypes.Compression compression, IOSupplier<InputStream> open) {}

    /** Progress of {@link #prepare}; called on the preparing thread. */
    interface Listener {
        /** Another thread or process is preparing the same chain; this call waits for it. */
        default void waiting(Digest chainId) {
        }

        /** Layer {@code index} (0-based) is about to be applied. */
        default void applying(int index, LayerInput layer) {
        }

        /** Layer {@code index} was applied and its diff_id verified. */
        default void applied(int index, LayerInput layer, ApplyResult result) {
        }

        Listener NONE = new Listener() {
        };
    }

    /** The rootfs of the complete snapshot {@code chainId}, if there is one. */
    Optional<Path> rootfs(Digest chainId);

    /**
     * Makes the snapshot of the chain {@code layers} exist and returns its rootfs. Idempotent: an existing snapshot
     * is returned without reading any blob. On any error (a blob that cannot be read, an unsafe archive, a diff_id
     * mismatch: {@link io.andock.AndockException.Kind#CORRUPT}) nothing is left behind.
     *
     * @param layers the whole chain, base layer first; not empty
     */
    Path prepare(List<LayerInput> layers, ApplyOptions options, Listener listener);

    /** Deletes the snapshot {@code chainId}, if present. The caller ensures no container uses it. */
    void remove(Digest chainId);

    /** Chain IDs of all complete snapshots. */
    Set<Digest> list();
}
