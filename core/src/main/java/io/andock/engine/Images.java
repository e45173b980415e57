package io.andock.engine;

import io.andock.AndockException;
import io.andock.container.ContainerStore;
import io.andock.content.ContentStore;
import io.andock.driver.Drivers;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Platform;
import io.andock.image.Reference;
import io.andock.image.store.ImageRecord;
import io.andock.image.store.ImageStore;
import io.andock.registry.RegistryClient;
import io.andock.snapshot.Snapshotter;
import io.andock.transfer.CopyOptions;
import io.andock.transfer.CopyResult;
import io.andock.transfer.ImageSource;
import io.andock.transfer.StoreSource;
import io.andock.transfer.TransferListener;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The images façade both front ends call: pull, list, inspect, tag, remove, prune, build. Answers are values
 * ({@link ImageSummary}, {@link ImageDetails}, {@link ImageDeletion}), never text to parse again; Docker's rules
 * about images containers use live here (through {@link ImageRemoval}), once. Failures are
 * {@link AndockException}s with a kind and a one-line message.
 */
public final class Images {
    private final EngineConfig config;
    private final ContentStore content;
    private final ImageStore store;
    private final Snapshotter snapshotter;
    private final UnpackingCopy unpackingCopy;
    private final ImageRemoval removal;
    private final Gc gc;
    private final ContainerStore containers;
    private final Supplier<RegistryClient> registry;
    private final Supplier<Drivers> drivers;

    Images(EngineConfig config, ContentStore content, ImageStore store, Snapshotter snapshotter, UnpackingCopy unpackingCopy,
           Gc gc, ContainerStore containers, Supplier<RegistryClient> registry, Supplier<Drivers> drivers) {
        this.config = config;
        this.content = content;
        this.store = store;
        this.snapshotter = snapshotter;
        this.unpackingCopy = unpackingCopy;
        this.gc = gc;
        this.containers = containers;
        this.removal = new ImageRemoval(content, store, gc, containers::imageUses);
        this.registry = registry;
        this.drivers = drivers;
    }

    // ------------------------------------------------------------------ pull

    /**
     * Pulls {@code ref} into the store and unpacks it (so {@code run} starts at once). Reports
     * {@code Digest: …} and {@code Status: Downloaded newer image for …} / {@code Image is up to date for …}
     * through {@code listener.message}. A digest, size or diff_id lie fails with CORRUPT and leaves no image, blob
     * or snapshot behind.
     *
     * @param platform the platform to select from an index; null for the host's
     */
    public ImageRecord pull(String ref, Platform platform, TransferListener listener) {
        Reference r = Reference.parse(ref);
        TransferListener l = listener == null ? TransferListener.NONE : listener;
        Optional<ImageRecord> before = store.get(r.toString());
        CopyOptions opts = new CopyOptions(platform, false, config.registry().maxConcurrentDownloads(), l, null);
        ImageRecord[] out = new ImageRecord[1];
        try (ImageSource src = registry.get().source(r)) {
            SyncPull sync = SyncPull.offer(registry.get(), r, content, store, snapshotter, config, l).orElse(null);
            io.andock.Trace.phase("pull: sync probed");
            try {
                CopyResult res = unpackingCopy.copy(src, opts, c -> out[0] = record(r.toString(), c.top().descriptor(), c.selected().descriptor(), "registry"), sync);
                if (sync != null) sync.shareFiles(res.config().diffIds());
            } finally {
                if (sync != null) sync.close();
            }
        } catch (AndockException e) {
            throw e.withContext("pull " + r.familiar());
        }
        l.message("Digest: " + out[0].target().digest());
        boolean same = before.isPresent() && before.get().target().digest().equals(out[0].target().digest())
                && before.get().manifest().digest().equals(out[0].manifest().digest());
        l.message(same ? "Status: Image is up to date for " + r.familiar() : "Status: Downloaded newer image for " + r.familiar());
        return out[0];
    }

    /** The unpacked rootfs of an image, unpacking it first if needed (an image loaded before unpacking existed). */
    public Path rootfs(String refOrId) {
        LocalImage img = resolve(refOrId);
        List<Digest> chain = img.config().chainIds();
        if (chain.isEmpty()) throw AndockException.invalid("image " + refOrId + " has no layers");
        Optional<Path> have = snapshotter.rootfs(chain.get(chain.size() - 1));
        if (have.isPresent()) return have.get();
        CopyOptions opts = CopyOptions.defaults().withPlatform(img.config().platform());
        unpackingCopy.copy(new StoreSource(content, img.record().manifest(), img.record().name()), opts, r -> { });
        return snapshotter.rootfs(chain.get(chain.size() - 1))
                .orElseThrow(() -> new AndockException(AndockException.Kind.INTERNAL, "unpacked chain missing"));
    }

    // ------------------------------------------------------------------ listing and lookup

    /** One row per name (and one per dangling image), as {@code docker images -a}. */
    public List<ImageSummary> list() {
        List<ImageSummary> out = new ArrayList<>();
        for (ImageRecord r : store.list()) {
            LocalImage img;
            try {
                img = LocalImage.read(content, r);
            } catch (AndockException e) {
                continue; // content missing: not a usable image
            }
            String repo = "<none>";
            String tag = "<none>";
            Digest digest = null;
            if (!r.dangling()) {
                Reference ref = Reference.parse(r.name());
                repo = ref.familiarName();
                if (ref.tag() != null) tag = ref.tag();
                if ("registry".equals(r.labels().get(ImageRecord.SOURCE)) || ref.digest() != null) digest = r.target().digest();
            }
            out.add(new ImageSummary(repo, tag, digest, img.id(), parseTime(img.config().created()), img.size()));
        }
        return out;
    }

    /** Layer sharing between the images, for {@code system df} ({@link LayerUsage}). */
    public LayerUsage layerUsage() {
        Map<Digest, Map<Digest, Long>> layersOf = new HashMap<>();
        for (ImageRecord r : store.list()) {
            try {
                LocalImage img = LocalImage.read(content, r);
                Map<Digest, Long> layers = new HashMap<>();
                for (var l : img.manifest().layers()) layers.put(l.digest(), l.size());
                layersOf.put(img.id(), layers); // several names of one image: one entry
            } catch (AndockException e) {
                // content missing: not a usable image
            }
        }
        Map<Digest, Integer> holders = new HashMap<>();
        Map<Digest, Long> sizes = new HashMap<>();
        for (Map<Digest, Long> layers : layersOf.values()) {
            layers.forEach((d, size) -> {
                holders.merge(d, 1, Integer::sum);
                sizes.put(d, size);
            });
        }
        Map<Digest, Long> shared = new HashMap<>();
        layersOf.forEach((id, layers) -> {
            long s = 0;
            for (var e : layers.entrySet()) if (holders.get(e.getKey()) > 1) s += e.getValue();
            shared.put(id, s);
        });
        return new LayerUsage(shared, sizes.values().stream().mapToLong(Long::longValue).sum());
    }

    private static Instant parseTime(String s) {
        if (s == null) return null;
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Whether {@code refOrId} names a local image (for {@code platform}, when given, the image's own platform). */
    public boolean has(String refOrId, Platform platform) {
        try {
            LocalImage img = resolve(refOrId);
            return platform == null || platform.score(img.config().platform()) > 0;
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.NOT_FOUND) return false;
            throw e;
        }
    }

    public ImageDetails inspect(String refOrId) {
        LocalImage img = resolve(refOrId);
        List<String> tags = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        Instant lastTag = null;
        for (LocalImage other : sameImage(img.id())) {
            ImageRecord r = other.record();
            if (r.dangling()) continue;
            Reference ref = Reference.parse(r.name());
            if (ref.tag() != null) tags.add(ref.familiar());
            if (ref.tag() != null && (lastTag == null || r.updated().isAfter(lastTag))) lastTag = r.updated();
            if ("registry".equals(r.labels().get(ImageRecord.SOURCE)) || ref.digest() != null) {
                String d = ref.familiarName() + "@" + r.target().digest();
                if (!digests.contains(d)) digests.add(d);
            }
        }
        var cfg = img.config();
        var p = cfg.platform();
        return new ImageDetails(img.id(), tags, digests, cfg.created(), cfg.json().string("author"), p.architecture(),
                p.variant(), p.os(), img.size(), cfg.runConfig(), cfg.diffIds(),
                lastTag == null ? null : lastTag.toString(), img.record().manifest().digest(), img.record().target().digest(),
                img.record().labels().getOrDefault(ImageRecord.PARENT, ""));
    }

    /** The image ID (config digest) of a reference or ID prefix. */
    public Digest id(String refOrId) {
        return resolve(refOrId).id();
    }

    /** How many containers (any state) use each image, by image ID; for the API's image listing. */
    public Map<Digest, Integer> containerCounts() {
        Map<Digest, Integer> m = new LinkedHashMap<>();
        for (var u : containers.imageUses()) if (Digest.isDigest(u.imageId())) m.merge(Digest.parse(u.imageId()), 1, Integer::sum);
        return m;
    }

    /** {@code docker history} of a local image, newest step first; see {@link ImageHistory}. */
    public List<ImageHistory.Step> history(String refOrId) {
        return ImageHistory.of(resolve(refOrId), inspect(refOrId).repoTags());
    }

    /** What a registry holds under {@code ref} (top descriptor, platforms), without pulling; see {@link DistributionInspect}. */
    public DistributionInspect.Info distribution(String ref) {
        Reference r = Reference.parse(ref);
        try {
            return DistributionInspect.of(registry.get(), r);
        } catch (AndockException e) {
            throw e.withContext("inspect " + r.familiar());
        }
    }

    /** The image for a full or familiar reference, a {@code name@digest}, or an image ID (any unique hex prefix). */
    LocalImage resolve(String refOrId) {
        List<ImageRecord> all = store.list();
        Reference ref = null;
        try {
            ref = Reference.parse(refOrId);
        } catch (AndockException ignored) {
            // maybe an ID
        }
        if (ref != null) {
            for (ImageRecord r : all) if (r.name().equals(ref.toString())) return LocalImage.read(content, r);
            if (ref.digest() != null) {
                for (ImageRecord r : all) {
                    if (r.dangling() || !Reference.parse(r.name()).name().equals(ref.name())) continue;
                    if (r.target().digest().equals(ref.digest()) || r.manifest().digest().equals(ref.digest())) {
                        return LocalImage.read(content, r);
                    }
                }
            }
        }
        String hex = refOrId.startsWith("sha256:") ? refOrId.substring(7) : refOrId;
        if (hex.matches("[a-f0-9]{1,64}")) {
            Map<Digest, LocalImage> hits = new LinkedHashMap<>();
            for (ImageRecord r : all) {
                try {
                    LocalImage img = LocalImage.read(content, r);
                    if (img.id().hex().startsWith(hex)) hits.putIfAbsent(img.id(), img);
                } catch (AndockException ignored) {
                    // broken record: skip
                }
            }
            if (hits.size() == 1) return hits.values().iterator().next();
            if (hits.size() > 1) throw AndockException.invalid("multiple IDs found with provided prefix: " + hex);
        }
        throw AndockException.notFound("No such image: " + (ref != null && ref.digest() == null && !refOrId.startsWith("sha256:") ? ref.familiar() : refOrId));
    }

    private List<LocalImage> sameImage(Digest id) {
        List<LocalImage> out = new ArrayList<>();
        for (ImageRecord r : store.list()) {
            try {
                LocalImage img = LocalImage.read(content, r);
                if (img.id().equals(id)) out.add(img);
            } catch (AndockException ignored) {
                // broken record
            }
        }
        return out;
    }

    /**
     * Creates or replaces a record. A replaced image that no other name keeps becomes dangling (Docker's
     * {@code <none>:<none>}); an image that gets a name stops being dangling.
     */
    ImageRecord record(String name, Descriptor target, Descriptor manifest, String source) {
        return record(name, target, manifest, Map.of(ImageRecord.SOURCE, source));
    }

    /** As {@link #record(String, Descriptor, Descriptor, String)}, with the record's labels given whole. */
    ImageRecord record(String name, Descriptor target, Descriptor manifest, Map<String, String> labels) {
        Instant now = Instant.now();
        return store.update(m -> {
            ImageRecord old = m.get(name);
            Instant created = old != null && old.target().digest().equals(target.digest()) ? old.created() : now;
            ImageRecord r = new ImageRecord(name, target, manifest, created, now, labels);
            m.put(name, r);
            if (!r.dangling()) m.remove(target.digest().toString());
            if (old != null && !old.target().digest().equals(target.digest())
                    && m.values().stream().noneMatch(o -> o.target().digest().equals(old.target().digest()))) {
                String dn = old.target().digest().toString();
                m.put(dn, new ImageRecord(dn, old.target(), old.manifest(), old.created(), now, old.labels()));
            }
            return r;
        });
    }

    /** The summary row of a record's image (its first name's). */
    ImageSummary summary(ImageRecord r) {
        Digest id = LocalImage.read(content, r).id();
        for (ImageSummary s : list()) if (s.id().equals(id)) return s;
        throw new AndockException(AndockException.Kind.INTERNAL, "image " + id + " not listed");
    }

    static String tryNormalise(String s) {
        try {
            return Reference.parse(s).toString();
        } catch (AndockException e) {
            return s;
        }
    }

    // ------------------------------------------------------------------ build

    /**
     * {@code andock build}: builds {@code request} (see {@link io.andock.builder.Builder}), printing the classic
     * builder's progress and RUN output to {@code output}; the image is stored, named by the request's tags and
     * unpacked. Failures name the Dockerfile line ({@code Dockerfile:5: RUN false: exit code 1 …}). Once
     * {@code cancelled} (the client went away) the build ends, its RUN killed.
     */
    public io.andock.builder.BuildResult build(io.andock.builder.BuildRequest request, OutputStream output, BooleanSupplier cancelled) {
        EngineBuildBackend backend = new EngineBuildBackend(this, content, snapshotter, drivers, config);
        return new io.andock.builder.Builder(backend, cancelled).build(request, output);
    }

    public io.andock.builder.BuildResult build(io.andock.builder.BuildRequest request, OutputStream output) {
        return build(request, output, () -> false);
    }

    // ------------------------------------------------------------------ tag, rmi, prune

    public void tag(String source, String target) {
        LocalImage img = resolve(source);
        Reference t = Reference.parse(target);
        if (t.digest() != null) throw AndockException.invalid("refusing to create a tag with a digest reference");
        record(t.toString(), img.record().target(), img.record().manifest(),
                img.record().labels().getOrDefault(ImageRecord.SOURCE, "tag"));
    }

    /**
     * {@code docker rmi}: what was untagged and deleted, in order. Containers hold their image: see
     * {@link ImageRemoval} for Docker's rules (conflicts, what force does).
     */
    public List<ImageDeletion> remove(String refOrId, boolean force) {
        return removal.remove(refOrId, resolve(refOrId), force);
    }

    /** Removes dangling images, or with {@code all} every image, skipping those containers use; then collects garbage. */
    public PruneReport prune(boolean all) {
        return removal.prune(all, id -> false);
    }

    /** {@link #prune(boolean)}, also keeping the images {@code keep} holds (the API's label filters). */
    public PruneReport prune(boolean all, Predicate<Digest> keep) {
        return removal.prune(all, keep);
    }

    /** Deletes content and snapshots no image and no container references. */
    public PruneReport gc() {
        return gc.collect();
    }

    /** {@code docker builder prune}: every build cache entry, then a collection of what only they held. */
    public PruneReport pruneBuildCache() {
        List<ImageDeletion> entries = new ArrayList<>();
        for (String e : new io.andock.builder.BuildCache(config.root().resolve("build-cache")).prune()) entries.add(ImageDeletion.deleted(e));
        PruneReport collected = gc.collect();
        return new PruneReport(entries, collected.blobsDeleted(), collected.snapshotsDeleted(), collected.reclaimedBytes());
    }

    /** The build side of the store (base images, blobs, commits), for {@link ContainerSnapshots}' commit. */
    io.andock.builder.BuildBackend buildBackend() {
        return new EngineBuildBackend(this, content, snapshotter, drivers, config);
    }

    /** How many images the store names (any state), for {@code info}. */
    int count() {
        return store.list().size();
    }

    /** The snapshotter holding unpacked chains, for tests and the runtime's wiring. */
    Snapshotter snapshotter() {
        return snapshotter;
    }
}
