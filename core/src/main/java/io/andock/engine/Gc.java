package io.andock.engine;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.ImageConfig;
import io.andock.image.ImageIndex;
import io.andock.image.Manifest;
import io.andock.image.store.ImageRecord;
import io.andock.image.store.ImageStore;
import io.andock.container.ImageUse;
import io.andock.snapshot.Snapshotter;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Mark and sweep: blobs and snapshots not reachable from any image record are deleted. Reachable: each record's
 * target, the manifests of an index that are present, each manifest's config and layers, and every prefix chain
 * of each config's diff_ids. Runs under the content store's exclusive gc lock, so it never races a pull that
 * has not recorded its image yet. Containers are roots too, in any state ({@code containers}): the config of the
 * image each was made from, that config's chains and the snapshot its rootfs sits on are kept, so a forced
 * {@code rmi} never takes the files from under a container.
 */
final class Gc {
    private final ContentStore content;
    private final ImageStore images;
    private final Snapshotter snapshotter;
    private final Supplier<List<ImageUse>> containers;

    Gc(ContentStore content, ImageStore images, Snapshotter snapshotter, Supplier<List<ImageUse>> containers) {
        this.content = content;
        this.images = images;
        this.snapshotter = snapshotter;
        this.containers = containers;
    }

    record Marks(Set<Digest> blobs, Set<Digest> chains) {
    }

    /** Deletes everything unreachable, and ingest leftovers of dead processes older than an hour. */
    PruneReport collect() {
        try (var lock = content.gcLock(true)) {
            Marks marks = mark();
            int blobs = 0;
            long bytes = 0;
            for (Digest d : content.list()) {
                if (marks.blobs.contains(d)) continue;
                long size = content.size(d);
                if (content.delete(d)) {
                    blobs++;
                    bytes += size;
                }
            }
            int snaps = 0;
            for (Digest c : snapshotter.list()) {
                if (marks.chains.contains(c)) continue;
                snapshotter.remove(c);
                snaps++;
            }
            content.cleanIngests(Duration.ofHours(1));
            return new PruneReport(List.of(), blobs, snaps, bytes);
        }
    }

    /** Deletes those of {@code candidates} (blobs of a failed copy) that no image references. */
    void removeUnreferenced(Collection<Digest> candidates) {
        try (var lock = content.gcLock(true)) {
            Marks marks = mark();
            for (Digest d : candidates) if (!marks.blobs.contains(d)) content.delete(d);
        }
    }

    Marks mark() {
        Set<Digest> blobs = new HashSet<>();
        Set<Digest> chains = new HashSet<>();
        for (ImageUse u : containers.get()) markContainer(u, blobs, chains);
        Deque<Descriptor> todo = new ArrayDeque<>();
        for (ImageRecord r : images.list()) {
            todo.add(r.target());
            todo.add(r.manifest());
        }
        while (!todo.isEmpty()) {
            Descriptor d = todo.pop();
            if (!blobs.add(d.digest()) || !content.exists(d.digest())) continue;
            try {
                byte[] raw = content.readAll(d.digest());
                if (ImageIndex.isIndex(raw, d.mediaType())) {
                    todo.addAll(ImageIndex.parse(raw, d.mediaType()).manifests());
                    continue;
                }
                Manifest m = Manifest.parse(raw, d.mediaType());
                blobs.add(m.config().digest());
                for (Descriptor l : m.layers()) blobs.add(l.digest());
                if (content.exists(m.config().digest())) {
                    chains.addAll(ImageConfig.parse(content.readAll(m.config().digest())).chainIds());
                }
            } catch (AndockException e) {
                // a blob that is no manifest (or unreadable) keeps only itself
            }
        }
        return new Marks(blobs, chains);
    }

    private void markContainer(ImageUse u, Set<Digest> blobs, Set<Digest> chains) {
        Digest snapshot = snapshotOf(u.imageRootfs());
        if (snapshot != null) chains.add(snapshot);
        if (u.imageId() == null || !Digest.isDigest(u.imageId())) return;
        Digest config = Digest.parse(u.imageId());
        blobs.add(config);
        try {
            if (content.exists(config)) chains.addAll(ImageConfig.parse(content.readAll(config)).chainIds());
        } catch (AndockException e) {
            // an unreadable config keeps only itself
        }
    }

    /** The chain of a snapshot rootfs path ({@code <snapshots>/<chain hex>/rootfs}), or null. */
    static Digest snapshotOf(String rootfs) {
        if (rootfs == null) return null;
        java.nio.file.Path parent = java.nio.file.Path.of(rootfs).getParent();
        String hex = parent == null || parent.getFileName() == null ? "" : parent.getFileName().toString();
        return hex.matches("[0-9a-f]{64}") ? new Digest("sha256", hex) : null;
    }
}
