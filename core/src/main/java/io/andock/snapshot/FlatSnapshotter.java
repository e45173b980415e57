package io.andock.snapshot;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.image.ImageConfig;
import io.andock.os.FileTrees;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A {@link Snapshotter} that unpacks a whole chain into one directory: {@code BASE/<chainId hex>/rootfs}. Each
 * distinct top chain is unpacked once and shared by every image and container using it. A chain that extends one
 * held here starts as a copy of that snapshot, its files hard links ({@link SnapshotClone}), and only its new layers
 * are applied: an update that adds a layer costs that layer, not the image.
 *
 * <pre>
 * BASE/&lt;hex&gt;/rootfs          complete snapshot (published by rename)
 * BASE/&lt;hex&gt;/ownership.tsv   unprivileged only: "path TAB uid TAB gid TAB octal-mode" of every entry, later
 *                            layers winning; the owners a proot driver fakes
 * BASE/&lt;hex&gt;/xattrs.tsv      xattrs not applied: "path TAB name TAB hex-value"
 * BASE/.tmp/&lt;hex&gt;.&lt;id&gt;      work in progress or being removed; swept when its chain lock is free
 * BASE/.locks/&lt;hex&gt;.lock     per-chain lock file
 * </pre>
 * Paths in the TSV files escape backslash, tab and newline as {@code \\ \t \n}.
 */
public final class FlatSnapshotter implements Snapshotter {

    private final Path base;
    private final Path tmp;
    private final Path locks;

    public FlatSnapshotter(Path base) {
        this.base = base.toAbsolutePath();
        this.tmp = this.base.resolve(".tmp");
        this.locks = this.base.resolve(".locks");
    }

    @Override
    public Optional<Path> rootfs(Digest chainId) {
        Path r = snapshotDir(chainId).resolve("rootfs");
        return Files.isDirectory(r) ? Optional.of(r) : Optional.empty();
    }

    @Override
    public Path prepare(List<LayerInput> layers, ApplyOptions options, Listener listener) {
        if (layers.isEmpty()) throw AndockException.invalid("prepare: no layers");
        List<Digest> diffIds = layers.stream().map(LayerInput::diffId).toList();
        Digest chainId = ImageConfig.chainIds(diffIds).get(diffIds.size() - 1);
        String context = "unpack " + chainId;
        Optional<Path> existing = rootfs(chainId);
        if (existing.isPresent()) return existing.get();
        try {
            Files.createDirectories(tmp);
            Files.createDirectories(locks);
            sweep();
            try (ChainLock lock = ChainLock.acquire(lockFile(chainId), () -> listener.waiting(chainId))) {
                existing = rootfs(chainId);
                if (existing.isPresent()) return existing.get();
                removeLeftovers(chainId.hex());
                return unpack(chainId, layers, options, listener);
            }
        } catch (IOException e) {
            throw AndockException.wrap(context, e);
        } catch (AndockException e) {
            throw e.withContext(context);
        }
    }

    private Path unpack(Digest chainId, List<LayerInput> layers, ApplyOptions options, Listener listener)
            throws IOException {
        Path work = tmp.resolve(chainId.hex() + "." + UUID.randomUUID());
        Path rootfs = work.resolve("rootfs");
        try {
            Files.createDirectories(rootfs);
            LayerApplier applier = new LayerApplier(options);
            Map<String, ApplyResult.Ownership> ownership = new LinkedHashMap<>();
            Map<String, Map<String, byte[]>> xattrs = new LinkedHashMap<>();
            int held = cloneHeldPrefix(layers, rootfs, options, ownership, xattrs);
            for (int i = 0; i < held; i++) {
                listener.applying(i, layers.get(i));
                listener.applied(i, layers.get(i), new ApplyResult(layers.get(i).diffId(), 0, 0, List.of(), 0, Map.of(), Map.of()));
            }
            for (int i = held; i < layers.size(); i++) {
                LayerInput layer = layers.get(i);
                listener.applying(i, layer);
                ApplyResult r = applyOne(applier, layer, rootfs, i);
                ownership.putAll(r.ownership());
                xattrs.putAll(r.xattrsNotApplied());
                listener.applied(i, layer, r);
            }
            writeMetadata(work, rootfs, ownership, xattrs);
            Files.move(work, snapshotDir(chainId), StandardCopyOption.ATOMIC_MOVE);
            return snapshotDir(chainId).resolve("rootfs");
        } catch (IOException | RuntimeException | Error e) {
            try {
                FileTrees.deleteTree(work);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * When the store holds the snapshot of a prefix of {@code layers} (the longest one), copies it into the empty
     * {@code rootfs} ({@link SnapshotClone}) with its ownership and xattr records, and returns that prefix's length:
     * those layers need not be read again. Their diff_ids were verified when that snapshot was made, and the chain id
     * names exactly them. Returns 0, {@code rootfs} empty, when there is none or it cannot be copied (a fifo in it, a
     * removal under way: its lock is held).
     */
    private int cloneHeldPrefix(List<LayerInput> layers, Path rootfs, ApplyOptions options,
                                Map<String, ApplyResult.Ownership> ownership, Map<String, Map<String, byte[]>> xattrs)
            throws IOException {
        List<Digest> chain = ImageConfig.chainIds(layers.stream().map(LayerInput::diffId).toList());
        for (int n = layers.size() - 1; n >= 1; n--) {
            Digest prefix = chain.get(n - 1);
            if (rootfs(prefix).isEmpty()) continue;
            try (ChainLock lock = ChainLock.tryAcquire(lockFile(prefix))) {
                if (lock == null || rootfs(prefix).isEmpty()) return 0;
                Path dir = snapshotDir(prefix);
                try {
                    Map<String, ApplyResult.Ownership> o = SnapshotClone.ownership(dir);
                    Map<String, Map<String, byte[]>> x = SnapshotClone.xattrs(dir);
                    SnapshotClone.copy(dir.resolve("rootfs"), rootfs, options.privileged());
                    ownership.putAll(o);
                    xattrs.putAll(x);
                    return n;
                } catch (IOException | RuntimeException e) {
                    FileTrees.deleteTree(rootfs);
                    Files.createDirectories(rootfs);
                    return 0;
                }
            }
        }
        return 0;
    }

    private static ApplyResult applyOne(LayerApplier applier, LayerInput layer, Path rootfs, int index)
            throws IOException {
        String context = "layer " + (index + 1) + " (diff_id " + layer.diffId() + ")";
        if (!layer.diffId().algorithm().equals("sha256")) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED, context + ": only sha256 diff_ids are supported");
        }
        ApplyResult r;
        try (InputStream blob = layer.open().get();
             InputStream tar = Decompression.open(blob, layer.compression())) {
            r = applier.apply(tar, rootfs);
        } catch (AndockException e) {
            throw e.withContext(context);
        } catch (IOException e) {
            throw AndockException.wrap(context, e);
        }
        if (!r.diffId().equals(layer.diffId())) {
            throw AndockException.corrupt(context + ": diff_id mismatch: the layer's uncompressed content is "
                    + r.diffId());
        }
        return r;
    }

    /** Merged records of all layers, for paths that still exist (later whiteouts removed the others). */
    private static void writeMetadata(Path work, Path rootfs, Map<String, ApplyResult.Ownership> ownership,
                                      Map<String, Map<String, byte[]>> xattrs) throws IOException {
        if (!ownership.isEmpty()) {
            try (Writer w = Files.newBufferedWriter(work.resolve("ownership.tsv"), StandardCharsets.UTF_8)) {
                for (var o : ownership.entrySet()) {
                    if (Modes.lstat(rootfs.resolve(o.getKey())) < 0) continue;
                    w.write(escape(o.getKey()) + "\t" + o.getValue().uid() + "\t" + o.getValue().gid() + "\t"
                            + Integer.toOctalString(o.getValue().mode()) + "\n");
                }
            }
        }
        if (!xattrs.isEmpty()) {
            try (Writer w = Files.newBufferedWriter(work.resolve("xattrs.tsv"), StandardCharsets.UTF_8)) {
                for (var x : xattrs.entrySet()) {
                    if (Modes.lstat(rootfs.resolve(x.getKey())) < 0) continue;
                    for (var v : x.getValue().entrySet()) {
                        w.write(escape(x.getKey()) + "\t" + escape(v.getKey()) + "\t"
                                + HexFormat.of().formatHex(v.getValue()) + "\n");
                    }
                }
            }
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    @Override
    public void remove(Digest chainId) {
        try {
            Files.createDirectories(tmp);
            Files.createDirectories(locks);
            try (ChainLock lock = ChainLock.acquire(lockFile(chainId), () -> { })) {
                Path dir = snapshotDir(chainId);
                if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Path doomed = tmp.resolve(chainId.hex() + ".removing-" + UUID.randomUUID());
                    Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
                    FileTrees.deleteTree(doomed);
                }
                removeLeftovers(chainId.hex());
            }
        } catch (IOException e) {
            throw AndockException.wrap("remove snapshot " + chainId, e);
        }
    }

    @Override
    public Set<Digest> list() {
        Set<Digest> out = new TreeSet<>();
        if (!Files.isDirectory(base)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (Digest.isHex(name, 64, 64) && Files.isDirectory(p.resolve("rootfs"))) {
                    out.add(new Digest("sha256", name));
                }
            }
        } catch (IOException e) {
            throw AndockException.wrap("list snapshots in " + base, e);
        }
        return out;
    }

    /** Removes temporaries of chains nobody is working on (left by a killed process). */
    private void sweep() throws IOException {
        Set<String> chains = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                int dot = name.indexOf('.');
                if (dot > 0 && Digest.isHex(name.substring(0, dot), 64, 64)) chains.add(name.substring(0, dot));
            }
        }
        for (String hex : chains) {
            try (ChainLock lock = ChainLock.tryAcquire(locks.resolve(hex + ".lock"))) {
                if (lock != null) removeLeftovers(hex);
            }
        }
    }

    /** Deletes {@code .tmp/<hex>.*}; the caller holds the chain's lock. */
    private void removeLeftovers(String hex) throws IOException {
        List<Path> doomed = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, hex + ".*")) {
            ds.forEach(doomed::add);
        }
        for (Path p : doomed) FileTrees.deleteTree(p);
    }

    private Path snapshotDir(Digest chainId) {
        return base.resolve(chainId.hex());
    }

    private Path lockFile(Digest chainId) {
        return locks.resolve(chainId.hex() + ".lock");
    }
}
