package io.andock.hub.sync;

import io.andock.hub.storage.HubStorage;
import io.andock.image.Digest;
import io.andock.sync.FileEntry;
import io.andock.sync.LayerIndex;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The sync metadata's share of gc, run after the registry's gc removed blobs: what was made for a layer goes with
 * the layer's blob, on any {@link HubStorage}.
 * <ul>
 *   <li>{@code sync/layers/<alg>/<hex>} (index and recipe) whose layer blob is gone, and {@code sync/diffids/<hex>}
 *       naming a layer blob that is gone;</li>
 *   <li>{@code sync/plans/<hash>} whose pack blob is gone (packs are blobs no repository names: gc removes them past
 *       the grace time, like every such blob), or that said "whole" and are older than the grace time (they name no
 *       layer; asking again costs one pack build); {@code sync/packs/<repo>/<hex>} whose pack is gone;</li>
 *   <li>{@code sync/deltas/<old>-<new>} older than the grace time whose old or new content is in no layer still
 *       indexed (the hub can then neither know a device holds the old one nor send the new one), looked for when an
 *       index went in this run, since only that makes deltas useless.</li>
 * </ul>
 * Each removal is one key, and every key is a cache: a run cut short leaves keys a later run or request redoes.
 */
public final class SyncGc {
    private static final String HEX64 = "[0-9a-f]{64}";
    /** Deepest {@code sync/packs/<repo>} walked (a repository name has at most this many components). */
    private static final int MAX_REPO_DEPTH = 64;

    private SyncGc() {}

    /** Returns the keys removed. */
    public static int run(HubStorage s, Instant cutoff) {
        int removed = 0;
        boolean indexGone = false;
        for (String alg : s.children("sync/layers")) {
            for (String hex : s.children("sync/layers/" + alg)) {
                String d = alg + ":" + hex;
                if (!Digest.isDigest(d) || s.statBlob(Digest.parse(d)).isPresent()) continue;
                if (s.delete("sync/layers/" + alg + "/" + hex)) {
                    removed++;
                    indexGone = true;
                }
            }
        }
        for (String hex : s.children("sync/diffids")) {
            String key = "sync/diffids/" + hex;
            Optional<Digest> layer = s.get(key).map(b -> new String(b, StandardCharsets.UTF_8).trim()).filter(Digest::isDigest).map(Digest::parse);
            if ((layer.isEmpty() || s.statBlob(layer.get()).isEmpty()) && s.delete(key)) removed++;
        }
        for (String name : s.children("sync/plans")) {
            String key = "sync/plans/" + name;
            Optional<byte[]> v = s.get(key);
            if (v.isEmpty()) continue;
            String pack = new String(v.get(), StandardCharsets.UTF_8).trim();
            boolean dead = pack.isEmpty() ? old(s, key, cutoff) : !Digest.isDigest(pack) || s.statBlob(Digest.parse(pack)).isEmpty();
            if (dead && s.delete(key)) removed++;
        }
        removed += packMarkers(s, "sync/packs", 0);
        if (indexGone) removed += deltas(s, cutoff);
        return removed;
    }

    /** The markers {@code sync/packs/<repo>/<hex>} of packs that are gone, repository components walked down. */
    private static int packMarkers(HubStorage s, String prefix, int depth) {
        if (depth > MAX_REPO_DEPTH) return 0;
        int removed = 0;
        for (String name : s.children(prefix)) {
            String key = prefix + "/" + name;
            if (depth > 0 && name.matches(HEX64) && s.stat(key).isPresent()) {
                if (s.statBlob(Digest.parse("sha256:" + name)).isEmpty() && s.delete(key)) removed++;
            } else {
                removed += packMarkers(s, key, depth + 1);
            }
        }
        return removed;
    }

    private static int deltas(HubStorage s, Instant cutoff) {
        java.util.List<String> keys = s.children("sync/deltas");
        if (keys.isEmpty()) return 0;
        long[] live = liveContents(s);
        int removed = 0;
        for (String name : keys) {
            int dash = name.indexOf('-');
            boolean wellFormed = dash == 64 && name.length() == 129;
            boolean dead = !wellFormed || !has(live, name.substring(0, 64)) || !has(live, name.substring(65));
            if (dead && old(s, "sync/deltas/" + name, cutoff) && s.delete("sync/deltas/" + name)) removed++;
        }
        return removed;
    }

    /**
     * The contents of every layer still indexed, each as the first 64 bits of its sha256, sorted: 8 bytes a content
     * (a million files, 8 MB). Two contents sharing those bits keep a dead delta, never remove a live one.
     */
    private static long[] liveContents(HubStorage s) {
        long[] out = new long[1024];
        int n = 0;
        for (String alg : s.children("sync/layers")) {
            for (String hex : s.children("sync/layers/" + alg)) {
                Optional<byte[]> b = s.get("sync/layers/" + alg + "/" + hex);
                if (b.isEmpty() || b.get().length <= 1) continue;
                LayerIndex idx;
                try {
                    idx = LayerIndex.decode(b.get());
                } catch (RuntimeException e) {
                    continue; // unreadable: a plan rebuilds it; names nothing here
                }
                for (FileEntry e : idx.entries()) {
                    if (!e.regular() || e.sha() == null) continue;
                    if (n == out.length) out = Arrays.copyOf(out, n * 2);
                    out[n++] = ByteBuffer.wrap(e.sha()).getLong();
                }
            }
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }

    private static boolean has(long[] live, String hex) {
        if (!hex.matches(HEX64)) return false;
        return Arrays.binarySearch(live, ByteBuffer.wrap(HexFormat.of().parseHex(hex, 0, 16)).getLong()) >= 0;
    }

    private static boolean old(HubStorage s, String key, Instant cutoff) {
        return s.stat(key).map(st -> !st.modified().isAfter(cutoff)).orElse(false);
    }
}
