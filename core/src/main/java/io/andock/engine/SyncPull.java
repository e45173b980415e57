package io.andock.engine;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.content.VerifyingInputStream;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.image.Reference;
import io.andock.image.store.ImageRecord;
import io.andock.image.store.ImageStore;
import io.andock.registry.RegistryClient;
import io.andock.snapshot.Decompression;
import io.andock.snapshot.Snapshotter;
import io.andock.sync.HeldFiles;
import io.andock.sync.LayerSync;
import io.andock.transfer.TransferListener;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pull from an andock hub: the layers the store lacks are not downloaded but rebuilt by {@link LayerSync} from
 * the files the device's snapshots hold and what the hub sends; the snapshotter then applies the verified tar.
 * What the device keeps: the manifest, the config and the snapshot, not the compressed layer blob (it cannot be
 * remade byte for byte from the tar); {@code push} and {@code save} of such an image need the blob fetched
 * again from its registry. {@code ANDOCK_SYNC=0} turns sync off (a plain pull).
 */
final class SyncPull implements UnpackingCopy.LayerRoute, AutoCloseable {
    private final RegistryClient client;
    private final Reference ref;
    private final ContentStore content;
    private final ImageStore images;
    private final Snapshotter snapshotter;
    private final Path syncDir;
    private final Path tmpDir;
    private Path tmp;
    private final TransferListener listener;
    /** The files held, listed on a thread of their own from the first claim on (hashing a new snapshot's takes a while). */
    private java.util.concurrent.CompletableFuture<HeldFiles> held;
    private List<Digest> have;
    /** The files of each layer rebuilt by this pull (diff_id → files), for the new snapshot's list. */
    private final Map<Digest, io.andock.sync.RebuiltFiles> rebuilt = new HashMap<>();

    private SyncPull(RegistryClient client, Reference ref, ContentStore content, ImageStore images, Snapshotter snapshotter,
                     EngineConfig config, TransferListener listener) {
        this.client = client;
        this.ref = ref;
        this.content = content;
        this.images = images;
        this.snapshotter = snapshotter;
        this.syncDir = config.snapshotsDir().resolveSibling("sync");
        this.tmpDir = config.tmpDir();
        this.listener = listener;
    }

    /** A route when {@code ref}'s registry is an andock hub that offers sync, else empty (a plain pull). */
    static Optional<SyncPull> offer(RegistryClient client, Reference ref, ContentStore content, ImageStore images,
                                    Snapshotter snapshotter, EngineConfig config, TransferListener listener) {
        if ("0".equals(System.getenv("ANDOCK_SYNC"))) return Optional.empty();
        // a device with no image holds nothing to sync against: a plain pull, without the discovery's round trip
        if (images.list().isEmpty()) return Optional.empty();
        if (!client.syncOffered(ref.domain())) return Optional.empty();
        return Optional.of(new SyncPull(client, ref, content, images, snapshotter, config, listener));
    }

    /** A layer the store lacks, when the device holds any snapshot at all (else a plain pull is as good, and parallel). */
    @Override
    public synchronized boolean claims(Descriptor layer) {
        String mt = layer.mediaType() == null ? "" : layer.mediaType();
        boolean isLayer = mt.contains("layer") || mt.contains("rootfs.diff");
        if (!isLayer || content.exists(layer.digest())) return false;
        if (held == null) loadHeld();
        return !have.isEmpty();
    }

    @Override
    public Snapshotter.LayerInput input(Descriptor layer, Digest diffId) {
        return new Snapshotter.LayerInput(diffId, MediaTypes.Compression.NONE, () -> open(layer, diffId));
    }

    private synchronized InputStream open(Descriptor layer, Digest diffId) throws IOException {
        if (held == null) loadHeld();
        // packs and rebuilt tars live in a scratch directory of this process: a killed pull's go at the next start
        if (tmp == null) tmp = Leftovers.scratchDir(tmpDir, "sync");
        LayerSync sync = new LayerSync(new LayerSync.Hub() {
            @Override
            public byte[] plan(byte[] request) {
                return client.syncPlan(ref, request);
            }

            @Override
            public InputStream pack(Digest pack, long size, long offset) {
                return client.syncPack(ref, pack, size, offset);
            }
        }, this::held, have, tmp);
        String id = layer.digest().shortHex();
        listener.status(id, "Syncing");
        Optional<InputStream> tar;
        try {
            tar = sync.open(layer.digest(), diffId, layer.size() * 2 + (64L << 20));
        } catch (AndockException e) {
            // a lie is an error; a hub that cannot plan this layer (a mirrored repository that has not fetched it,
            // a hub gone between requests) leaves the plain blob, verified by its digest
            if (e.kind() == AndockException.Kind.CORRUPT) throw e;
            tar = Optional.empty();
        }
        if (tar.isEmpty()) {
            listener.status(id, "Downloading whole");
            InputStream blob = new VerifyingInputStream(client.blob(ref, layer, 0), layer);
            return Decompression.open(blob, MediaTypes.layerCompression(layer.mediaType()));
        }
        LayerSync.Stats s = sync.stats();
        listener.status(id, "Synced " + s.packBytes() + " bytes (" + s.items() + " sent, " + s.deltas() + " as deltas, "
                + s.local() + " from local files)");
        // the snapshotter applies the tar as it is rebuilt (on a thread of its own), into its staging directory
        // (see LayerSync#open)
        return new FilterInputStream(Decompression.readAhead(tar.get())) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    io.andock.Trace.phase("sync rebuilt and applied");
                    synchronized (SyncPull.this) {
                        sync.rebuiltFiles().ifPresent(f -> rebuilt.put(diffId, f));
                    }
                }
            }
        };
    }

    /**
     * After the unpack: the new snapshot's files that another snapshot holds identically become hard links to
     * those ({@link io.andock.sync.SharedFiles}); the new snapshot's list is made now, for the next sync.
     */
    synchronized void shareFiles(List<Digest> diffIds) {
        if (held == null || diffIds.isEmpty()) return; // every layer was already here
        List<Digest> chain = io.andock.image.ImageConfig.chainIds(diffIds);
        Digest chainTop = chain.get(chain.size() - 1);
        Optional<Path> rootfs = snapshotter.rootfs(chainTop);
        if (rootfs.isEmpty()) return;
        try {
            io.andock.Trace.phase("sync applied");
            deriveList(diffIds, chain, rootfs.get());
            HeldFiles fresh = HeldFiles.of(Map.of(chainTop.hex(), rootfs.get()), syncDir.resolve("held"), false);
            io.andock.Trace.phase("sync fresh list");
            io.andock.sync.SharedFiles.Result r = io.andock.sync.SharedFiles.link(fresh, rootfs.get(), held());
            io.andock.Trace.phase("sync linked");
            if (r.linked() > 0) listener.message("Shared " + r.linked() + " files (" + r.bytes() + " bytes) with other images");
        } catch (IOException | RuntimeException e) {
            // sharing is an economy of disk only
        }
    }

    /**
     * The new snapshot's list from its top layer's rebuilt files and the list of the chain below (when the device
     * holds that chain as a snapshot, or the top layer is the only one), instead of hashing the new snapshot.
     */
    private void deriveList(List<Digest> diffIds, List<Digest> chain, Path rootfs) {
        io.andock.sync.RebuiltFiles top = rebuilt.get(diffIds.get(diffIds.size() - 1));
        Path dir = syncDir.resolve("held");
        Path list = dir.resolve(chain.get(chain.size() - 1).hex() + ".tsv");
        if (top == null || Files.exists(list)) return;
        Path parent = chain.size() < 2 ? null : dir.resolve(chain.get(chain.size() - 2).hex() + ".tsv");
        if (parent != null && (!Files.isRegularFile(parent) || snapshotter.rootfs(chain.get(chain.size() - 2)).isEmpty())) return;
        try {
            HeldFiles.derive(rootfs, list, parent, top);
        } catch (IOException | RuntimeException e) {
            // HeldFiles.of hashes the snapshot instead
        }
    }

    /** Removes this pull's scratch directory. */
    @Override
    public synchronized void close() {
        if (tmp == null) return;
        try {
            io.andock.os.FileTrees.deleteTree(tmp);
        } catch (IOException ignored) {
            // swept at a later start
        }
    }

    /**
     * The diff_ids of every image whose whole chain is unpacked here (at once: the plan names them), and the listing
     * of those snapshots' files started.
     */
    private synchronized void loadHeld() {
        Set<Digest> ids = new LinkedHashSet<>();
        Map<String, Path> roots = new HashMap<>();
        for (ImageRecord r : images.list()) {
            LocalImage img;
            try {
                img = LocalImage.read(content, r);
            } catch (AndockException e) {
                continue;
            }
            List<Digest> chain = img.config().chainIds();
            if (chain.isEmpty()) continue;
            Digest top = chain.get(chain.size() - 1);
            Optional<Path> rootfs = snapshotter.rootfs(top);
            if (rootfs.isEmpty()) continue;
            ids.addAll(img.config().diffIds());
            roots.put(top.hex(), rootfs.get());
        }
        have = new ArrayList<>(ids);
        if (have.size() > 4096) have = have.subList(have.size() - 4096, have.size());
        held = new java.util.concurrent.CompletableFuture<>();
        if (have.isEmpty()) {
            held.complete(HeldFiles.none());
            return;
        }
        Thread t = new Thread(() -> {
            try {
                held.complete(HeldFiles.of(roots, syncDir.resolve("held")));
            } catch (IOException | RuntimeException e) {
                held.completeExceptionally(e);
            }
        }, "andock-sync-held");
        t.setDaemon(true);
        t.start();
    }

    private HeldFiles held() {
        try {
            return held.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) throw AndockException.wrap("sync: list the files held", io);
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }
}
