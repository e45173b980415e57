package io.andock.engine;

import io.andock.AndockException;
import io.andock.builder.BuildBackend;
import io.andock.builder.ConfigMutations;
import io.andock.builder.LayerDiff;
import io.andock.builder.TreeState;
import io.andock.container.ContainerDir;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerRootfs;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerStore;
import io.andock.container.MountSpec;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.json.JsonObject;
import io.andock.os.HostTools;
import io.andock.tar.TarWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * A container's root filesystem as a whole: {@code docker diff} ({@link ContainerChanges} against its image),
 * {@code docker export} (a tar of the tree) and {@code docker commit} (the changes as a new layer on the image, with
 * the container's configuration). The rootfs is read from the host side: an overlay is mounted first when it is
 * not, and a runtime's mount points are left out of diffs and commits.
 */
public final class ContainerSnapshots {
    /** The stubs a runtime makes for its binds and the /etc files (Docker's init layer holds them). */
    private static final List<String> RUNTIME_STUBS = List.of("proc", "sys", "dev", "etc/hostname", "etc/hosts",
            "etc/resolv.conf", ".dockerenv", "run/.containerenv");

    /** {@code docker commit}'s options; {@code config} (the API body, Docker's container config shape) may be null. */
    public record CommitRequest(String repo, String tag, String author, String message, JsonObject config,
                                List<String> changes, boolean pause) {
        public CommitRequest {
            changes = changes == null ? List.of() : List.copyOf(changes);
        }
    }

    private final Engine engine;
    private final ContainerStore store;
    private final BuildBackend images;

    ContainerSnapshots(Engine engine, ContainerStore store, BuildBackend images) {
        this.engine = engine;
        this.store = store;
        this.images = images;
    }

    /** {@code docker diff}: the changes by path ({@code /etc/x}), sorted. */
    public Map<String, ContainerChanges.Change> diff(String ref) {
        String id = store.resolve(ref);
        ContainerRecord r = store.record(id);
        Path rootfs = mounted(id, r);
        Map<String, ContainerChanges.Change> out = new LinkedHashMap<>();
        changes(r, rootfs).forEach((p, c) -> out.put("/" + p, c));
        return out;
    }

    /**
     * {@code SizeRw}: the bytes the container wrote, its overlay's upper directory, or for a private copy the
     * regular files it added or changed.
     */
    public long sizeRw(String ref) {
        String id = store.resolve(ref);
        ContainerRecord r = store.record(id);
        ContainerDir dir = store.dir(id);
        if (ContainerRootfs.OVERLAY.equals(r.rootfsMode())) return io.andock.os.TreeSize.of(dir.overlayUpper());
        Path rootfs = mounted(id, r);
        long total = 0;
        for (var e : changes(r, rootfs).entrySet()) {
            if (e.getValue() == ContainerChanges.Change.DELETED) continue;
            Path f = rootfs.resolve(e.getKey());
            if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try {
                    total += Files.size(f);
                } catch (IOException ignored) {
                    // gone meanwhile
                }
            }
        }
        return total;
    }

    /** {@code docker export}: the container's whole tree as a tar (names without {@code ./}), in path order. */
    public void export(String ref, OutputStream out) {
        String id = store.resolve(ref);
        ContainerRecord r = store.record(id);
        Path rootfs = mounted(id, r);
        Set<String> mountPoints = excluded(r); // listed, not entered: Docker exports no volume and no /proc
        TreeState all = TreeState.scan(rootfs, mountPoints::contains);
        Map<String, Boolean> every = new TreeMap<>();
        for (String p : all.nodes().keySet()) every.put(p, true);
        try {
            TarWriter tar = new TarWriter(out);
            new LayerDiff(false, 0, 0).write(every, all, rootfs, tar);
            tar.finish();
        } catch (IOException e) {
            throw AndockException.wrap("export " + ref, e);
        }
    }

    /**
     * {@code docker commit}: the changes as one more layer (always, an empty one too, as Docker does) on the
     * container's image, the container's configuration (overridden by {@code req.config}) as the image's; named
     * {@code repo:tag} when a repo is given, else dangling. Returns the new image ID.
     */
    public Digest commit(String ref, CommitRequest req) {
        String id = store.resolve(ref);
        ContainerRecord r = store.record(id);
        Path rootfs = mounted(id, r);
        List<String> tags = new ArrayList<>();
        if (req.repo() != null && !req.repo().isEmpty()) {
            tags.add(req.repo() + ":" + (req.tag() == null || req.tag().isEmpty() ? "latest" : req.tag()));
        }
        BuildBackend.Image base = images.image(r.imageId(), null, m -> { });
        Path work = engine.config().root().resolve("tmp");
        // paused as Docker pauses it (--pause, the default): the layer is one instant of the tree
        try (AutoCloseable lease = images.lease();
             AutoCloseable frozen = req.pause() ? engine.containers().freeze(id) : null) {
            Files.createDirectories(work);
            Path file = Files.createTempFile(work, "commit-", ".tar.gz");
            try {
                Map<String, Boolean> layer = layerEntries(changes(r, rootfs));
                TreeState after = TreeState.scan(rootfs, excluded(r)::contains);
                MessageDigest md = Digest.sha256Digester();
                try (OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                     OutputStream gz = new GZIPOutputStream(fileOut, 1 << 16);
                     DigestOutputStream tarOut = new DigestOutputStream(gz, md)) {
                    TarWriter tar = new TarWriter(tarOut);
                    new LayerDiff(!HostTools.isRoot(), ownerOf(rootfs, "uid"), ownerOf(rootfs, "gid")).write(layer, after, rootfs, tar);
                    tar.finish();
                }
                Digest diffId = Digest.of("sha256", md);
                Descriptor blob = images.storeBlob(file, MediaTypes.OCI_LAYER_GZIP);
                List<BuildBackend.Layer> layers = new ArrayList<>(base.layers());
                layers.add(new BuildBackend.Layer(blob, diffId));
                Map<String, Object> cfg = imageConfig(base.config(), r, req, diffId);
                return images.commit(new JsonObject(cfg), layers, tags, base.id());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (AndockException e) {
            throw e.withContext("commit " + ref);
        } catch (Exception e) {
            throw AndockException.wrap("commit " + ref, e);
        }
    }

    /** The image config of a commit: the base's, with the container's run config, the new layer and a history step. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> imageConfig(JsonObject base, ContainerRecord r, CommitRequest req, Digest diffId) {
        Map<String, Object> cfg = ConfigMutations.copy(base.map());
        Map<String, Object> run = (Map<String, Object>) cfg.computeIfAbsent("config", k -> new LinkedHashMap<>());
        ContainerSpec s = r.spec();
        run.put("Env", env(r.imageConfig().strings("Env"), s.env()));
        if (s.entrypoint() != null) {
            run.put("Entrypoint", s.entrypoint().isEmpty() ? null : s.entrypoint());
            run.put("Cmd", s.cmd());
        } else if (s.cmd() != null) {
            run.put("Cmd", s.cmd());
        }
        if (s.workingDir() != null) run.put("WorkingDir", s.workingDir());
        if (s.user() != null) run.put("User", s.user());
        if (!s.labels().isEmpty()) {
            Map<String, Object> labels = new LinkedHashMap<>(r.imageConfig().stringMap("Labels"));
            labels.putAll(s.labels());
            run.put("Labels", labels);
        }
        if (s.stopSignal() != null) run.put("StopSignal", s.stopSignal());
        if (req.config() != null) {
            // Docker's merge: what the client's config sets replaces the container's
            for (Map.Entry<String, Object> e : req.config().map().entrySet()) {
                Object v = e.getValue();
                boolean empty = v == null || (v instanceof String str && str.isEmpty())
                        || (v instanceof List<?> l && l.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty());
                if (!empty && COMMITTED_KEYS.contains(e.getKey())) run.put(e.getKey(), v);
            }
        }
        ConfigChanges.apply(cfg, req.changes());
        String now = io.andock.Timestamps.format(Instant.now());
        cfg.put("created", now);
        if (req.author() != null && !req.author().isEmpty()) cfg.put("author", req.author());
        Map<String, Object> rootfs = (Map<String, Object>) cfg.computeIfAbsent("rootfs", k -> new LinkedHashMap<>());
        rootfs.put("type", "layers");
        List<Object> diffIds = new ArrayList<>(rootfs.get("diff_ids") instanceof List<?> l ? l : List.of());
        diffIds.add(diffId.toString());
        rootfs.put("diff_ids", diffIds);
        ConfigMutations.history(cfg, String.join(" ", r.process().args()), now, false);
        List<Object> history = (List<Object>) cfg.get("history");
        Map<String, Object> last = (Map<String, Object>) history.get(history.size() - 1);
        if (req.author() != null && !req.author().isEmpty()) last.put("author", req.author());
        if (req.message() != null && !req.message().isEmpty()) last.put("comment", req.message());
        return cfg;
    }

    /** The run-config keys a commit's config may set (Docker's container config minus what is per container). */
    private static final Set<String> COMMITTED_KEYS = Set.of("User", "ExposedPorts", "Env", "Cmd", "Healthcheck",
            "Volumes", "WorkingDir", "Entrypoint", "OnBuild", "Labels", "StopSignal", "StopTimeout", "Shell");

    /** The image's environment with the container's entries over it (by key; a bare {@code Foo} kept as given). */
    static List<String> env(List<String> image, List<String> container) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String e : image) byKey.put(key(e), e);
        for (String e : container) byKey.put(key(e), e);
        return new ArrayList<>(byKey.values());
    }

    private static String key(String e) {
        int eq = e.indexOf('=');
        return eq < 0 ? e : e.substring(0, eq);
    }

    private Map<String, ContainerChanges.Change> changes(ContainerRecord r, Path rootfs) {
        Path imageRootfs = r.imageRootfs() == null ? null : Path.of(r.imageRootfs());
        TreeState before = imageRootfs != null && Files.isDirectory(imageRootfs) ? TreeState.scan(imageRootfs) : TreeState.empty();
        Set<String> excluded = excluded(r);
        return ContainerChanges.compute(before, TreeState.scan(rootfs, excluded::contains), excluded);
    }

    /** The runtime's stubs and every mount target (binds, volumes, tmpfs), relative to the root. */
    static Set<String> excluded(ContainerRecord r) {
        Set<String> out = new HashSet<>(RUNTIME_STUBS);
        for (MountSpec m : r.mounts()) {
            String t = Path.of("/").resolve(m.target()).normalize().toString();
            if (t.length() > 1) out.add(t.substring(1));
        }
        return out;
    }

    /** Layer entries for changes: written paths true, a deleted path as its {@code .wh.} whiteout (false). */
    static Map<String, Boolean> layerEntries(Map<String, ContainerChanges.Change> changes) {
        Map<String, Boolean> out = new TreeMap<>();
        changes.forEach((p, c) -> {
            if (c != ContainerChanges.Change.DELETED) {
                out.put(p, true);
                return;
            }
            String parent = ContainerChanges.parent(p);
            out.put((parent == null ? "" : parent + "/") + ".wh." + p.substring(p.lastIndexOf('/') + 1), false);
        });
        return out;
    }

    /** The container's rootfs, its overlay mounted when it is not (a stopped container after a reboot). */
    private Path mounted(String id, ContainerRecord r) {
        ContainerDir dir = store.dir(id);
        ContainerRootfs.ensureMounted(dir, r.rootfsMode(), Path.of(r.imageRootfs()));
        return dir.rootfs();
    }

    /** Who owns the rootfs (the unprivileged user whose files a commit writes as root's, as a build does). */
    private static long ownerOf(Path rootfs, String which) {
        try {
            return ((Number) Files.getAttribute(rootfs, "unix:" + which)).longValue();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
