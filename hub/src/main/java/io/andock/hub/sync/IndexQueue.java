package io.andock.hub.sync;

import io.andock.hub.storage.HubStorage;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Manifest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Indexes layers in the background as they arrive, so that the first device to sync does not wait: a pushed
 * layer when the manifest naming it is pushed (its blob is there already), a mirrored one when the mirror has
 * stored its blob (which comes after the manifest, on a client's demand). One low-priority thread; a layer queued
 * or indexed already is not queued again; past {@link #MAX_QUEUED} waiting layers, or {@link #MAX_EXPECTED}
 * layers whose blob has not come yet, the rest is left to the first sync (which indexes what it lacks), so a
 * flood of manifests costs bounded memory and never slows a pull.
 */
public final class IndexQueue implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("andock.hub.sync");
    static final int MAX_QUEUED = 1024;
    static final int MAX_EXPECTED = 8192;

    private final HubStorage storage;
    private final LayerIndexes indexes;
    private final ThreadPoolExecutor worker;
    private final Set<Digest> queued = ConcurrentHashMap.newKeySet();
    /** Layers of stored manifests whose blob has not arrived yet, oldest first (the oldest are forgotten first). */
    private final Map<Digest, Boolean> expected = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, Boolean> eldest) {
            return size() > MAX_EXPECTED;
        }
    };

    IndexQueue(HubStorage storage, LayerIndexes indexes) {
        this.storage = storage;
        this.indexes = indexes;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED), r -> {
            Thread t = new Thread(r, "andock-hub-sync-index");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** A manifest was stored (pushed or mirrored): its layers held now are queued, the others when their blob comes. */
    public void manifest(byte[] body, String mediaType) {
        Manifest m;
        try {
            m = Manifest.parse(body, mediaType);
        } catch (RuntimeException e) {
            return; // an index or an artifact: nothing to index
        }
        for (Descriptor d : m.layers()) {
            // expected first, then looked for: a blob published in between is queued by one side or the other
            synchronized (expected) {
                expected.put(d.digest(), Boolean.TRUE);
            }
            if (storage.statBlob(d.digest()).isPresent()) blob(d.digest());
        }
    }

    /** A blob was stored (a mirror's upstream fetch): queued when a stored manifest names it as a layer. */
    public void blob(Digest d) {
        boolean layer;
        synchronized (expected) {
            layer = expected.remove(d) != null;
        }
        if (layer) queue(d);
    }

    private void queue(Digest d) {
        if (indexes.indexed(d) || !queued.add(d)) return;
        try {
            worker.execute(() -> {
                try {
                    if (storage.statBlob(d).isPresent()) indexes.get(d);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "sync: indexing " + d + ": " + e, e);
                } finally {
                    queued.remove(d);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.remove(d); // full, or closing: the first sync indexes it
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
