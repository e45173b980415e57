package io.andock.engine;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.ImageConfig;
import io.andock.image.Manifest;
import io.andock.image.MediaTypes;
import io.andock.os.Futures;
import io.andock.snapshot.ApplyOptions;
import io.andock.snapshot.ApplyResult;
import io.andock.snapshot.Snapshotter;
import io.andock.transfer.CopyOptions;
import io.andock.transfer.CopyResult;
import io.andock.transfer.ImageCopier;
import io.andock.transfer.ImageSource;
import io.andock.transfer.StoreDestination;
import io.andock.transfer.TransferListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Copies an image into the content store and unpacks its chain while the layers download: as soon as the config
 * is stored, the snapshotter starts on layer 1, reading it through {@link StoreDestination#follow} as it grows.
 * Runs under a shared gc lease, and {@code record} (which writes the image record) runs inside that lease too, so a
 * concurrent garbage collection never sees the fresh blobs unreferenced. On failure the blobs this copy added
 * are removed again unless an image references them.
 */
final class UnpackingCopy {
    private final ContentStore content;
    private final Snapshotter snapshotter;
    private final ApplyOptions apply;
    private final Gc gc;

    UnpackingCopy(ContentStore content, Snapshotter snapshotter, ApplyOptions apply, Gc gc) {
        this.content = content;
        this.snapshotter = snapshotter;
        this.apply = apply;
        this.gc = gc;
    }

    /**
     * Layers a copy does not download into the store: the unpack reads them from the route instead (andock hub
     * sync, {@link SyncPull}). A claimed layer's blob is not stored.
     */
    interface LayerRoute {
        boolean claims(Descriptor layer);

        Snapshotter.LayerInput input(Descriptor layer, Digest diffId);
    }

    CopyResult copy(ImageSource source, CopyOptions options, Consumer<CopyResult> record) {
        return copy(() -> source, options, record, null);
    }

    CopyResult copy(ImageSource source, CopyOptions options, Consumer<CopyResult> record, LayerRoute route) {
        return copy(() -> source, options, record, route);
    }

    CopyResult copy(java.util.function.Supplier<ImageSource> sources, CopyOptions options, Consumer<CopyResult> record) {
        return copy(sources, options, record, null);
    }

    /** As above, the source made under the lease (an import writes its blobs there). */
    CopyResult copy(java.util.function.Supplier<ImageSource> sources, CopyOptions options, Consumer<CopyResult> record,
                    LayerRoute route) {
        StoreDestination dest = new StoreDestination(content);
        java.util.Set<String> claimedIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        io.andock.transfer.ImageDestination target = route == null ? dest : new Routed(dest, route, claimedIds);
        List<Digest> created;
        RuntimeException failure;
        try (var lease = content.gcLock(false)) {
            ExecutorService unpacker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "andock-unpack");
                t.setDaemon(true);
                return t;
            });
            Future<?>[] unpack = new Future<?>[1];
            TransferListener l = options.listener();
            // the copier says "Already exists" of what it skips: a layer the route claims is still to come
            TransferListener shown = route == null ? l : new TransferListener() {
                @Override
                public void status(String id, String status) {
                    l.status(id, status.equals("Already exists") && claimedIds.contains(id) ? "Pulling fs layer" : status);
                }

                @Override
                public void progress(String id, String action, long current, long total) {
                    l.progress(id, action, current, total);
                }

                @Override
                public void message(String text) {
                    l.message(text);
                }
            };
            CopyOptions withUnpack = options.withListener(shown).withOnConfig((m, cfg) -> unpack[0] = unpacker.submit(() -> unpack(m, cfg, dest, l, route)));
            try {
                CopyResult r = ImageCopier.copy(sources.get(), target, withUnpack);
                if (unpack[0] != null) Futures.await(unpack[0], "unpack");
                io.andock.Trace.phase("pull: unpacked");
                record.accept(r);
                return r;
            } catch (RuntimeException e) {
                dest.abort(e);
                if (unpack[0] != null) {
                    unpack[0].cancel(true);
                    try {
                        unpack[0].get();
                    } catch (Exception ignored) {
                        // the copy's error is the one reported
                    }
                }
                created = dest.created();
                if (created.isEmpty()) throw e;
                failure = e;
            } finally {
                unpacker.shutdownNow();
            }
        }
        gc.removeUnreferenced(created);
        throw failure;
    }

    private void unpack(Manifest m, ImageConfig cfg, StoreDestination dest, TransferListener l, LayerRoute route) {
        List<Digest> diffIds = cfg.diffIds();
        List<Descriptor> layers = m.layers();
        if (diffIds.size() != layers.size()) {
            throw AndockException.corrupt("config lists " + diffIds.size() + " diff_ids for " + layers.size() + " layers");
        }
        if (layers.isEmpty()) return;
        List<Snapshotter.LayerInput> inputs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Descriptor d = layers.get(i);
            MediaTypes.Compression c = MediaTypes.layerCompression(d.mediaType());
            if (route != null && route.claims(d)) inputs.add(route.input(d, diffIds.get(i)));
            else inputs.add(new Snapshotter.LayerInput(diffIds.get(i), c, () -> dest.follow(d)));
        }
        try {
            snapshotter.prepare(inputs, apply, new Snapshotter.Listener() {
                @Override
                public void applying(int index, Snapshotter.LayerInput layer) {
                    l.status(layers.get(index).digest().shortHex(), "Extracting");
                }

                @Override
                public void applied(int index, Snapshotter.LayerInput layer, ApplyResult result) {
                    l.status(layers.get(index).digest().shortHex(), "Pull complete");
                    io.andock.Trace.phase("unpack: applied layer " + layers.get(index).digest().shortHex());
                }
            });
        } catch (AndockException e) {
            throw e.withContext("unpack");
        }
    }

    /** The store, except that claimed layers count as present (the copier skips them). */
    private record Routed(StoreDestination dest, LayerRoute route, java.util.Set<String> claimedIds) implements io.andock.transfer.ImageDestination {
        @Override
        public String describe() {
            return dest.describe();
        }

        @Override
        public boolean tryReuse(Descriptor blob) {
            if (dest.tryReuse(blob)) return true;
            if (!route.claims(blob)) return false;
            claimedIds.add(blob.digest().shortHex());
            return true;
        }

        @Override
        public void putBlob(Descriptor blob, io.andock.transfer.BlobOpener from) {
            dest.putBlob(blob, from);
        }

        @Override
        public void putManifest(io.andock.transfer.RawManifest manifest) {
            dest.putManifest(manifest);
        }

        @Override
        public void commit(CopyResult result) {
            dest.commit(result);
        }

        @Override
        public void abort(Throwable cause) {
            dest.abort(cause);
        }
    }
}
