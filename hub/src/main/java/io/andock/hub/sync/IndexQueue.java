package io.andock.hub.sync;

import io.andock.hub.storage.HubStorage;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Manifest;

import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * A manifest was stored (pushed or mirrored): its layers the storage holds are queued, the others when their
     * blob comes. Only memory on the caller's thread: the storage is looked at on the worker's.
     */
    public void manifest(byte[] body, String mediaType) {
        Manifest m;
        try {
            m = Manifest.parse(body, mediaType);
        } catch (RuntimeException e) {
            return; // an index or an artifact: nothing to index
        }
        List<Digest> layers = m.layers().stream().map(Descriptor::digest).toList();
        // expected first, then looked for: a blob published in between is queued by one side or the other
        synchronized (expected) {
            for (Digest d : layers) expected.put(d, Boolean.TRUE);
        }
        submit(() -> {
            for (Digest d : layers) {
                if (storage.statBlob(d).isPresent()) blob(d);
            }
        });
    }

    /** A blob was stored (a mirror's upstream fetch): queued when a stored manifest names it as a layer. */
    public void blob(Digest d) {
        boolean layer;
        synchronized (expected) {
            layer = expected.remove(d) != null;
        }
        if (!layer || !queued.add(d)) return;
        if (!submit(() -> {
            try {
                if (!indexes.indexed(d) && storage.statBlob(d).isPresent()) indexes.get(d);
            } finally {
                queued.remove(d);
            }
        })) queued.remove(d);
    }

    /** Runs {@code task} on the worker; false when the queue is full (or closing): the first sync indexes instead. */
    private boolean submit(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "sync: background indexing: " + e, e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
