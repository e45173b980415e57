package io.andock.engine;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Platform;
import io.andock.image.Reference;
import io.andock.image.store.ImageRecord;
import io.andock.image.store.ImageStore;
import io.andock.registry.CredentialStore;
import io.andock.registry.RegistryClient;
import io.andock.snapshot.ApplyOptions;
import io.andock.snapshot.FlatSnapshotter;
import io.andock.snapshot.Snapshotter;
import io.andock.transfer.CopyOptions;
import io.andock.transfer.ImageCopier;
import io.andock.transfer.ImageSource;
import io.andock.transfer.RawManifest;
import io.andock.transfer.StoreSource;
import io.andock.transfer.TransferListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine facade both front ends call (CLI, API daemon): images in, out and around. No front end holds engine
 * logic; every method reports failures as {@link AndockException} with a kind and a one-line message.
 *
 * <p>Root layout: {@code content/} (blobs, ingests), {@code snapshots/} (unpacked chains), {@code images.json}
 * (image records), {@code tmp/} (spooled archives). Safe for several threads and several processes on one root.
 */
public final class Engine implements AutoCloseable {
    public static final String FORMAT_DOCKER_ARCHIVE = "docker-archive";
    public static final String FORMAT_OCI_DIR = "oci-dir";

    private final EngineConfig config;
    private final ContentStore content;
    private final ImageStore images;
    private final Snapshotter snapshotter;
    private RegistryClient registry;
    private final Gc gc;
    private final UnpackingCopy unpackingCopy;
    private final io.andock.container.ContainerStore containerStore;
    private final ImageRemoval removal;
    private final RuntimeSetup runtime;
    private final ImageArchives archives;
    private io.andock.task.ContainerService containers;

    private Engine(EngineConfig config) {
        this.config = config;
        StoreRoot.secure(config.root());
        this.content = ContentStore.open(config.contentDir());
        this.images = new ImageStore(config.imagesFile());
        this.snapshotter = new FlatSnapshotter(config.snapshotsDir());
        this.containerStore = new io.andock.container.ContainerStore(config.root());
        this.gc = new Gc(content, images, snapshotter, containerStore::imageUses);
        this.removal = new ImageRemoval(content, images, gc, containerStore::imageUses);
        this.runtime = new RuntimeSetup(this, config);
        this.unpackingCopy = new UnpackingCopy(content, snapshotter, ApplyOptions.defaults().withMaxBytes(config.maxLayerBytes()), gc);
        this.archives = new ImageArchives(this, content, unpackingCopy, config);
    }

    /**
     * Lets go of what a long-lived process (the API daemon) need not keep while idle: the registry client (its
     * HTTP client, threads and buffers; tokens are fetched again). Operations under way keep their own reference.
     */
    public synchronized void releaseIdle() {
        registry = null;
    }

    /** The registry client, made on first use: its HTTP client loads TLS, which commands without a registry skip. */
    private synchronized RegistryClient registry() {
        if (registry == null) registry = new RegistryClient(config.registry(), CredentialStore.standard(config.configDir()));
        return registry;
    }

    /** Opens the engine on {@code config}'s root, first removing what killed andock processes left half-made. */
    public static Engine open(EngineConfig config) {
        Engine e = new Engine(config);
        Leftovers.sweep(config, e.runtime::drivers);
        return e;
    }

    public EngineConfig config() {
        return config;
    }

    /** The snapshotter, for the container runtime. */
    public Snapshotter snapshotter() {
        return snapshotter;
    }

    /** The containers, with the driver the host probe (or the config's {@code driver}) chose as default. */
    public synchronized io.andock.task.ContainerService containers() {
        if (containers == null) containers = runtime.containers();
        return containers;
    }

    /**
     * {@code docker cp}'s stat of {@code path} in container {@code ref} (a final symlink not followed); NOT_FOUND
     * "Could not find the file …" when it does not exist. See {@link ContainerArchive} for how paths resolve.
     */
    public PathStat statPath(String ref, String path) {
        return archive().stat(ref, path);
    }

    /**
     * Writes a tar of {@code path} in container {@code ref} to {@code out}, its top entry named {@code as} (null: the
     * path's last component); {@code followLink} follows a final symlink within the container ({@code cp -L}).
     */
    public PathStat copyOut(String ref, String path, boolean followLink, String as, OutputStream out) {
        return archive().copyOut(ref, path, followLink, as, out);
    }

    /**
     * Extracts the tar {@code tar} into the directory {@code path} of container {@code ref}, with the layer
     * applier's rules (nothing lands outside the container); owners become 0:0 unless {@code keepOwners}.
     * INVALID_ARGUMENT for a bad archive or a path that is not a directory; NOT_FOUND for a missing path.
     */
    public void copyIn(String ref, String path, InputStream tar, boolean keepOwners) {
        archive().copyIn(ref, path, tar, keepOwners);
    }

    private ContainerArchive archive() {
        return new ContainerArchive(containers(), ApplyOptions.defaults().withMaxBytes(config.maxLayerBytes()));
    }

    /** What this host allows and the driver chosen, for {@code andock info}; {@code forcedDriver} as --driver. */
    public io.andock.host.HostReport hostReport(String forcedDriver, boolean full) {
        return (forcedDriver == null ? runtime : new RuntimeSetup(this, config.withDriver(forcedDriver))).report(full);
    }

    /** Counts for {@code andock info}: images, containers (running, stopped), root. */
    public Map<String, Object> storeSummary() {
        Map<String, Object> m = new LinkedHashMap<>();
        var all = containers().list(io.andock.container.ListOptions.ALL);
        long running = all.stream().filter(c -> c.state().running()).count();
        m.put("Containers", all.size());
        m.put("ContainersRunning", running);
        m.put("ContainersStopped", all.size() - running);
        m.put("Images", images.list().size());
        m.put("AndockRootDir", config.root().toString());
        return m;
    }

    /** How many containers (any state) use each image, by image ID; for the API's image listing. */
    public Map<Digest, Integer> containerCounts() {
        Map<Digest, Integer> m = new LinkedHashMap<>();
        for (var u : containerStore.imageUses()) if (Digest.isDigest(u.imageId())) m.merge(Digest.parse(u.imageId()), 1, Integer::sum);
        return m;
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
        Optional<ImageRecord> before = images.get(r.toString());
        CopyOptions opts = new CopyOptions(platform, false, config.registry().maxConcurrentDownloads(), l, null);
        ImageRecord[] out = new ImageRecord[1];
        try (ImageSource src = registry().source(r)) {
            unpackingCopy.copy(src, opts, res -> out[0] = putRecord(r.toString(), res.top().descriptor(), res.selected().descriptor(), "registry"));
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

    public List<ImageSummary> images() {
        List<ImageSummary> out = new ArrayList<>();
        for (ImageRecord r : images.list()) {
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

    private static Instant parseTime(String s) {
        if (s == null) return null;
        try {
            return java.time.OffsetDateTime.parse(s).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Whether {@code refOrId} names a local image (for {@code platform}, when given, the image's own platform). */
    public boolean hasImage(String refOrId, Platform platform) {
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
                lastTag == null ? null : lastTag.toString(), img.record().manifest().digest(), img.record().target().digest());
    }

    /** The image for a full or familiar reference, a {@code name@digest}, or an image ID (any unique hex prefix). */
    LocalImage resolve(String refOrId) {
        List<ImageRecord> all = images.list();
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
        for (ImageRecord r : images.list()) {
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
    private ImageRecord putRecord(String name, Descriptor target, Descriptor manifest, String source) {
        Instant now = Instant.now();
        return images.update(m -> {
            ImageRecord old = m.get(name);
            Instant created = old != null && old.target().digest().equals(target.digest()) ? old.created() : now;
            ImageRecord r = new ImageRecord(name, target, manifest, created, now, Map.of(ImageRecord.SOURCE, source));
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

    /** {@link #putRecord} for the engine's helpers (build). */
    ImageRecord record(String name, Descriptor target, Descriptor manifest, String source) {
        return putRecord(name, target, manifest, source);
    }

    // ------------------------------------------------------------------ build

    /**
     * {@code andock build}: builds {@code request} (see {@link io.andock.builder.Builder}), printing the classic
     * builder's progress and RUN output to {@code output}; the image is stored, named by the request's tags and
     * unpacked. Failures name the Dockerfile line ({@code Dockerfile:5: RUN false: exit code 1 …}).
     */
    public io.andock.builder.BuildResult build(io.andock.builder.BuildRequest request, OutputStream output) {
        return build(request, output, () -> false);
    }

    /** {@link #build(io.andock.builder.BuildRequest, OutputStream)} that ends, its RUN killed, once {@code cancelled}. */
    public io.andock.builder.BuildResult build(io.andock.builder.BuildRequest request, OutputStream output,
                                             java.util.function.BooleanSupplier cancelled) {
        EngineBuildBackend backend = new EngineBuildBackend(this, content, snapshotter, runtime::drivers, config);
        return new io.andock.builder.Builder(backend, cancelled).build(request, output);
    }

    // ------------------------------------------------------------------ tag, rmi, prune

    public void tag(String source, String target) {
        LocalImage img = resolve(source);
        Reference t = Reference.parse(target);
        if (t.digest() != null) throw AndockException.invalid("refusing to create a tag with a digest reference");
        putRecord(t.toString(), img.record().target(), img.record().manifest(),
                img.record().labels().getOrDefault(ImageRecord.SOURCE, "tag"));
    }

    /**
     * Like {@code docker rmi}: returns {@code Untagged: …} and {@code Deleted: sha256:…} lines. Containers hold
     * their image: see {@link ImageRemoval} for Docker's rules (conflicts, what force does).
     */
    public List<String> remove(String refOrId, boolean force) {
        return removal.remove(refOrId, resolve(refOrId), force);
    }

    static String tryNormalise(String s) {
        try {
            return Reference.parse(s).toString();
        } catch (AndockException e) {
            return s;
        }
    }

    /** Removes dangling images, or with {@code all} every image, skipping those containers use; then collects garbage. */
    public PruneReport prune(boolean all) {
        return removal.prune(all, id -> false);
    }

    /** {@link #prune(boolean)}, also keeping the images {@code keep} holds (the API's label filters). */
    public PruneReport prune(boolean all, java.util.function.Predicate<Digest> keep) {
        return removal.prune(all, keep);
    }

    /** Deletes content and snapshots no image and no container references. */
    public PruneReport gc() {
        return gc.collect();
    }

    // ------------------------------------------------------------------ save, load, import

    /** Saves to a file ({@code docker-archive}, written to a temp name and renamed) or a directory ({@code oci-dir}). */
    public void save(List<String> refs, Path out, String format) {
        archives.save(refs, out, format);
    }

    /** Streams a docker-archive of {@code refs} (for {@code save} to stdout). Does not close {@code out}. */
    public void save(List<String> refs, OutputStream out) {
        archives.save(refs, out);
    }

    /**
     * Loads a docker-archive file (either form), a plain OCI archive, or an OCI layout directory; stores, unpacks
     * and names each image. Returns {@code Loaded image: …} / {@code Loaded image ID: …} lines.
     */
    public List<String> load(Path in, TransferListener listener) {
        return archives.load(in, listener);
    }

    public List<String> load(Path in) {
        return archives.load(in, TransferListener.NONE);
    }

    public List<String> load(InputStream in) {
        return archives.load(in, TransferListener.NONE);
    }

    /** {@link #load(Path, TransferListener)} from a stream (stdin): spooled to {@code <root>/tmp} first. */
    public List<String> load(InputStream in, TransferListener listener) {
        return archives.load(in, listener);
    }

    /**
     * Pushes {@code ref} (a local image name) to its registry: blobs the registry has are skipped, blobs another
     * repository of that registry has are mounted, the manifest goes last. An image pulled from a multi-platform
     * index is pushed as the one platform manifest the store holds. Progress as docker push reports it.
     */
    public void push(String ref, TransferListener listener) {
        Reference r = Reference.parse(ref);
        LocalImage img = resolve(ref);
        TransferListener l = listener == null ? TransferListener.NONE : listener;
        try (var lease = content.gcLock(false);
             ImageSource src = new StoreSource(content, img.record().manifest(), img.record().name())) {
            var dest = registry().destination(r, io.andock.registry.PushOptions.defaults().withListener(l)
                    .withOrigins(mountHint(img, r)));
            // The destination reports push progress itself; the copier's words are a pull's.
            ImageCopier.copy(src, dest, new CopyOptions(img.config().platform(), false, 5, TransferListener.NONE, null));
        } catch (AndockException e) {
            throw e.withContext("push " + r.familiar());
        }
    }

    /** An image pulled from another repository of the same registry can have its blobs mounted from there. */
    private static io.andock.registry.BlobOrigins mountHint(LocalImage img, Reference target) {
        if (img.record().dangling() || !"registry".equals(img.record().labels().get(ImageRecord.SOURCE))) {
            return io.andock.registry.BlobOrigins.NONE;
        }
        Reference from = Reference.parse(img.record().name());
        return from.domain().equals(target.domain()) ? io.andock.registry.BlobOrigins.repository(from)
                : io.andock.registry.BlobOrigins.NONE;
    }

    /** Imports a rootfs tarball (plain or gzip) as a one-layer image named {@code ref} (dangling when null). */
    public ImageSummary importRootfs(InputStream tar, String ref) {
        return summary(importRecord(tar, ref, "-"));
    }

    public ImageSummary importRootfs(Path tar, String ref) {
        try (InputStream in = Files.newInputStream(tar)) {
            return summary(importRecord(in, ref, tar.toString()));
        } catch (IOException e) {
            throw AndockException.wrap("import " + tar, e);
        }
    }

    private ImageSummary summary(ImageRecord r) {
        for (ImageSummary s : images()) {
            if (s.id().equals(LocalImage.read(content, r).id())) return s;
        }
        throw new AndockException(AndockException.Kind.INTERNAL, "imported image not listed");
    }

    private ImageRecord importRecord(InputStream tar, String ref, String from) {
        Reference r = ref == null ? null : Reference.parse(ref);
        RawManifest[] m = new RawManifest[1];
        ImageRecord[] out = new ImageRecord[1];
        unpackingCopy.copy(() -> {
            m[0] = Importer.importTar(content, tar, from == null ? "-" : from);
            return new StoreSource(content, m[0].descriptor(), "import");
        }, CopyOptions.defaults(), res ->
                out[0] = putRecord(r == null ? m[0].digest().toString() : r.toString(), m[0].descriptor(), m[0].descriptor(), "import"));
        return out[0];
    }

    /** The image ID (config digest) of a record. */
    public Digest imageId(String refOrId) {
        return resolve(refOrId).id();
    }

    // ------------------------------------------------------------------ registry credentials

    /** Verifies the credentials against the registry, then saves them ({@code <configDir>/auth.json}). */
    public void login(String host, String user, String password) {
        registry().login(host, user, password);
    }

    /** Forgets saved credentials; false when there were none. */
    public boolean logout(String host) {
        return registry().logout(host);
    }

    @Override
    public synchronized void close() {
        // its selector thread would hold the JVM's exit ~300 ms (pull, push, login)
        if (registry != null) registry.close();
        registry = null;
    }
}
