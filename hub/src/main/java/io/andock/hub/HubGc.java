package io.andock.hub;

import io.andock.hub.storage.HubStorage;
import io.andock.hub.sync.SyncGc;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Garbage collection, safe while pushes and pulls run: per repository, what its tags reach (index children,
 * config, layers, and the referrers of anything live) is kept; untagged manifests and blob links outside that are
 * removed, then every stored blob no repository names. Anything younger than the grace time is kept whatever it
 * looks like (a push links its blobs before it puts the manifest that uses them; an upload is not a blob yet).
 * Last, the sync metadata of what went ({@link SyncGc}).
 */
public final class HubGc {
    public record Report(int manifests, int blobLinks, int blobs, long bytes, int syncKeys) {
        @Override
        public String toString() {
            return "removed " + manifests + " untagged manifest(s), " + blobLinks + " unreferenced blob link(s), "
                    + blobs + " blob(s) (" + bytes + " bytes), " + syncKeys + " sync metadata key(s) of layers and packs gone";
        }
    }

    private HubGc() {}

    public static Report run(Registry registry, Duration grace) {
        HubStorage s = registry.storage();
        Instant cutoff = Instant.now().minus(grace);
        Set<Digest> named = new HashSet<>();
        int manifests = 0, links = 0, blobs = 0;
        long bytes = 0;
        for (String name : registry.catalog()) {
            String repo = Registry.repoKey(name);
            Set<Digest> live = new HashSet<>();
            Set<Digest> liveBlobs = new HashSet<>();
            Deque<Digest> todo = new ArrayDeque<>();
            for (String t : registry.tags(name)) {
                s.get(repo + "/_tags/" + t).ifPresent(v -> todo.add(Digest.parse(new String(v, StandardCharsets.UTF_8).trim())));
            }
            while (!todo.isEmpty()) {
                Digest d = todo.pop();
                if (!live.add(d)) continue;
                try {
                    JsonObject m = JsonObject.of(Json.parse(registry.readBlob(d, 64L << 20)));
                    if (m.has("config")) liveBlobs.add(Digest.parse(m.object("config").string("digest")));
                    for (JsonObject l : m.objects("layers")) liveBlobs.add(Digest.parse(l.string("digest")));
                    for (JsonObject c : m.objects("manifests")) todo.add(Digest.parse(c.string("digest")));
                } catch (RuntimeException e) {
                    // unreadable: keeps what it is, names nothing more
                }
                for (var r : registry.referrers(name, d, null)) todo.add(Digest.parse((String) r.get("digest")));
            }
            for (Digest d : keys(s, repo + "/_manifests")) {
                if (live.contains(d) || young(s, repo + "/_manifests/" + d.algorithm() + "/" + d.hex(), cutoff)) {
                    named.add(d);
                    continue;
                }
                if (registry.deleteManifest(name, d.toString())) manifests++;
            }
            for (Digest d : keys(s, repo + "/_blobs")) {
                if (liveBlobs.contains(d) || young(s, repo + "/_blobs/" + d.algorithm() + "/" + d.hex(), cutoff)) {
                    named.add(d);
                    continue;
                }
                if (s.delete(repo + "/_blobs/" + d.algorithm() + "/" + d.hex())) links++;
            }
            named.addAll(live);
        }
        for (Digest d : s.listBlobs()) {
            if (named.contains(d)) continue;
            Optional<HubStorage.Stat> st = s.statBlob(d);
            if (st.isEmpty() || st.get().modified().isAfter(cutoff)) continue;
            if (s.deleteBlob(d)) {
                blobs++;
                bytes += st.get().size();
            }
        }
        // what sync made for the layers and packs just removed (and any such leftovers) goes with them
        int sync = SyncGc.run(s, cutoff);
        return new Report(manifests, links, blobs, bytes, sync);
    }

    private static boolean young(HubStorage s, String key, Instant cutoff) {
        return s.stat(key).map(st -> st.modified().isAfter(cutoff)).orElse(false);
    }

    static List<Digest> keys(HubStorage s, String prefix) {
        List<Digest> out = new java.util.ArrayList<>();
        for (String alg : s.children(prefix)) {
            for (String hex : s.children(prefix + "/" + alg)) {
                String d = alg + ":" + hex;
                if (Digest.isDigest(d)) out.add(Digest.parse(d));
            }
        }
        return out;
    }

    /** What {@code andock hub status} prints: repositories, tags, manifests, blobs and their bytes. */
    public static String status(Registry registry) {
        HubStorage s = registry.storage();
        int tags = 0, manifests = 0;
        List<String> repos = registry.catalog();
        for (String name : repos) {
            tags += registry.tags(name).size();
            manifests += keys(s, Registry.repoKey(name) + "/_manifests").size();
        }
        long bytes = 0;
        List<Digest> blobs = s.listBlobs();
        for (Digest d : blobs) bytes += s.statBlob(d).map(HubStorage.Stat::size).orElse(0L);
        return "repositories: " + repos.size() + "\ntags: " + tags + "\nmanifests: " + manifests + "\nblobs: " + blobs.size()
                + "\nbytes: " + bytes + "\n";
    }
}
