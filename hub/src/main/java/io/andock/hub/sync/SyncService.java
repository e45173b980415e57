package io.andock.hub.sync;

import io.andock.AndockException;
import io.andock.hub.storage.HubStorage;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Manifest;
import io.andock.json.JsonObject;
import io.andock.sync.FileEntry;
import io.andock.sync.LayerIndex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The hub's side of file-level sync (see {@code io.andock.sync} for the protocol). Endpoints, all under
 * {@code /v2/_andock/sync}:
 * <ul>
 *   <li>{@code GET /v2/_andock/sync}: discovery; {@code {"sync":1}}. Any other registry answers 404, and the
 *       device pulls as usual.</li>
 *   <li>{@code POST /v2/_andock/sync/<repo>/plan} with {@code {"layer": digest, "have": [diff_id…],
 *       "need": [sha256 hex…]}} (pull right on {@code repo}, which must hold the layer): the hub resolves the
 *       diff_ids to its file indexes, builds (or finds) the pack and answers {@code {"pack": digest, "size": n}},
 *       or {@code {"whole": true}} when the layer has no recipe.</li>
 *   <li>{@code GET /v2/_andock/sync/<repo>/packs/<digest>}: the pack, with {@code Range}.</li>
 * </ul>
 * Layers are indexed in the background as they arrive ({@link IndexQueue}), or at the first plan.
 */
public final class SyncService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("andock.hub.sync");
    /** Most diff_ids a device may name, and most shas it may ask for. */
    static final int MAX_HAVE = 4096;
    static final int MAX_NEED = 1 << 20;

    private final HubStorage storage;
    private final LayerIndexes indexes;
    private final PackBuilder packs;
    private final IndexQueue indexQueue;
    private final ExecutorService background;
    private final ConcurrentHashMap<String, Object> flights = new ConcurrentHashMap<>();
    /** Pack builds at once (each holds delta bases and a matcher in memory; the CPU is the devices' too). */
    private final java.util.concurrent.Semaphore builds = new java.util.concurrent.Semaphore(2);

    public SyncService(HubStorage storage) {
        this.storage = storage;
        this.indexes = new LayerIndexes(storage);
        this.packs = new PackBuilder(storage);
        this.indexQueue = new IndexQueue(storage, indexes);
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "andock-hub-sync-index");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** Where the mirror tells what it stored, so that mirrored layers are indexed as they arrive, like pushed ones. */
    public IndexQueue indexQueue() {
        return indexQueue;
    }

    public Map<String, Object> discovery() {
        return Map.of("sync", 1);
    }

    /**
     * A manifest was stored: index its layers in the background, so the first device does not wait; when it
     * replaced {@code previous} under a tag, also build the packs that update a device holding the previous image
     * (what a device following the tag will ask for), which fills the delta cache for every other device too.
     */
    public void arrived(String repo, byte[] manifest, String mediaType, byte[] previous, String previousType) {
        Manifest m;
        try {
            m = Manifest.parse(manifest, mediaType);
        } catch (RuntimeException e) {
            return; // an index or an artifact: nothing to index
        }
        indexQueue.manifest(manifest, mediaType);
        if (previous == null) return;
        background.submit(() -> {
            try {
                Manifest old = Manifest.parse(previous, previousType);
                byte[] cfg;
                try (java.io.InputStream in = storage.openBlob(old.config().digest(), 0)) {
                    cfg = in.readNBytes(4 << 20);
                }
                List<String> have = io.andock.image.ImageConfig.parse(cfg).diffIds().stream().map(Digest::toString).toList();
                for (Descriptor d : m.layers()) {
                    if (old.layers().stream().anyMatch(o -> o.digest().equals(d.digest()))) continue;
                    byte[] req = io.andock.json.Json.writeBytes(Map.of("layer", d.digest().toString(), "have", have));
                    plan(repo, req, (n, x) -> storage.statBlob(x).isPresent());
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "sync: preparing the update of " + repo + ": " + e, e);
            }
        });
    }

    /**
     * A plan for {@code repo}: {@code linked} says whether the repository holds a blob (the caller's check of
     * what the requester may read).
     */
    public Map<String, Object> plan(String repo, byte[] body, BiPredicate<String, Digest> linked) {
        JsonObject req;
        try {
            req = JsonObject.parse(body);
        } catch (RuntimeException e) {
            throw AndockException.invalid("sync plan: not JSON");
        }
        Digest layer = Digest.parse(req.string("layer"));
        if (!linked.test(repo, layer)) throw AndockException.notFound("sync plan: " + repo + " has no blob " + layer);
        List<String> have = req.has("have") ? req.strings("have") : List.of();
        List<String> need = req.has("need") ? req.strings("need") : List.of();
        if (have.size() > MAX_HAVE) throw AndockException.invalid("sync plan: more than " + MAX_HAVE + " diff_ids");
        if (need.size() > MAX_NEED) throw AndockException.invalid("sync plan: more than " + MAX_NEED + " contents asked for");
        Set<String> needSet = new TreeSet<>();
        for (String n : need) {
            if (!n.matches("[0-9a-f]{64}")) throw AndockException.invalid("sync plan: need lists " + n.substring(0, Math.min(n.length(), 80)));
            needSet.add(n);
        }
        Set<Digest> haveSet = new TreeSet<>();
        for (String h : have) haveSet.add(Digest.parse(h));
        Optional<LayerIndex> idx = indexes.get(layer);
        // nothing held and nothing asked for: the blob itself is smaller than a pack of every file
        if (idx.isEmpty() || (haveSet.isEmpty() && needSet.isEmpty())) return Map.of("whole", true);
        String planKey = "sync/plans/" + Digest.sha256((layer + "\n" + haveSet + "\n" + needSet).getBytes(StandardCharsets.UTF_8)).hex();
        Object lock = flights.computeIfAbsent(planKey, k -> new Object());
        try {
            synchronized (lock) {
                Optional<byte[]> cached = storage.get(planKey);
                if (cached.isPresent() && cached.get().length == 0 && needSet.isEmpty()) return Map.of("whole", true);
                Optional<Digest> pack0 = cached.filter(b -> b.length > 0).map(b -> Digest.parse(new String(b, StandardCharsets.UTF_8)));
                if (pack0.isPresent() && storage.statBlob(pack0.get()).isPresent()) return reply(repo, pack0.get());
                long t0 = System.nanoTime();
                Digest pack;
                builds.acquireUninterruptibly();
                try {
                    pack = packs.build(layer, idx.get(), held(haveSet), needSet);
                } finally {
                    builds.release();
                }
                long blob = storage.statBlob(layer).map(HubStorage.Stat::size).orElse(Long.MAX_VALUE);
                if (needSet.isEmpty() && storage.statBlob(pack).orElseThrow().size() >= blob) {
                    // the device holds too little for files to beat the blob: it pulls the blob (the pack goes at gc)
                    storage.put(planKey, new byte[0]);
                    return Map.of("whole", true);
                }
                storage.put(planKey, pack.toString().getBytes(StandardCharsets.UTF_8));
                LOG.info("sync: pack " + pack.shortHex() + " for " + repo + " " + layer.shortHex() + " ("
                        + haveSet.size() + " layers held) in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                return reply(repo, pack);
            }
        } catch (IOException e) {
            throw AndockException.wrap("sync plan " + layer, e);
        } finally {
            flights.remove(planKey, lock);
        }
    }

    private Map<String, Object> reply(String repo, Digest pack) {
        // the devices of a fleet ask for one plan at once and queue on its lock: a marker written (and synced) once,
        // not once for each of them in turn
        if (storage.stat(packKey(repo, pack)).isEmpty()) storage.put(packKey(repo, pack), new byte[0]);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pack", pack.toString());
        out.put("size", storage.statBlob(pack).orElseThrow().size());
        return out;
    }

    /** The size of a pack made for {@code repo}; empty when there is none (or it was made for another repository). */
    public Optional<Long> packSize(String repo, Digest pack) {
        if (storage.stat(packKey(repo, pack)).isEmpty()) return Optional.empty();
        return storage.statBlob(pack).map(HubStorage.Stat::size);
    }

    private static String packKey(String repo, Digest pack) {
        return "sync/packs/" + repo + "/" + pack.hex();
    }

    private PackBuilder.Held held(Set<Digest> diffIds) {
        Set<String> shas = new HashSet<>();
        Map<String, FileEntry> byPath = new HashMap<>();
        Map<String, Digest> layerOfSha = new HashMap<>();
        for (Digest diffId : diffIds) {
            Optional<Digest> layer = indexes.layerOf(diffId);
            if (layer.isEmpty() || storage.statBlob(layer.get()).isEmpty()) continue;
            Optional<LayerIndex> idx = indexes.get(layer.get());
            if (idx.isEmpty()) continue;
            for (FileEntry e : idx.get().entries()) {
                if (!e.regular()) continue;
                String hex = HexFormat.of().formatHex(e.sha());
                shas.add(hex);
                byPath.put(e.path(), e);
                layerOfSha.putIfAbsent(hex, layer.get());
            }
        }
        return new PackBuilder.Held(shas, byPath, layerOfSha);
    }

    @Override
    public void close() {
        background.shutdownNow();
        indexQueue.close();
    }
}
