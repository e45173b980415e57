package io.andock.sync;

import io.andock.image.Digest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The file contents a device holds: the regular files of its unpacked snapshots, by sha256. Each snapshot's list
 * ({@code path, size, sha256}) is made once, the first time a sync needs it, by hashing the snapshot (snapshots are
 * immutable), and kept in {@code <dir>/<chain hex>.tsv}; lists of snapshots that are gone are removed. A file is
 * read again, and its sha256 checked, whenever it serves as a content or a delta base.
 */
public final class HeldFiles {
    private final Map<String, Path> bySha = new HashMap<>();
    private final Map<String, Path> roots = new HashMap<>();

    private HeldFiles() {
    }

    public static HeldFiles none() {
        return new HeldFiles();
    }

    /** The contents of the snapshots {@code rootfs} (chain hex → rootfs), lists kept under {@code dir}. */
    public static HeldFiles of(Map<String, Path> rootfsByChain, Path dir) throws IOException {
        return of(rootfsByChain, dir, true);
    }

    /** As above; {@code sweep}: remove the lists of snapshots not named (when {@code rootfsByChain} names them all). */
    public static HeldFiles of(Map<String, Path> rootfsByChain, Path dir, boolean sweep) throws IOException {
        HeldFiles h = new HeldFiles();
        Files.createDirectories(dir);
        if (sweep) try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".tsv") && !rootfsByChain.containsKey(n.substring(0, n.length() - 4))) Files.deleteIfExists(p);
            }
        }
        for (var e : rootfsByChain.entrySet()) {
            Path list = dir.resolve(e.getKey() + ".tsv");
            if (!Files.exists(list)) write(e.getValue(), list);
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                int a = line.indexOf('\t'), b = line.indexOf('\t', a + 1);
                if (a < 0 || b < 0) continue;
                String rel = line.substring(b + 1);
                h.bySha.putIfAbsent(line.substring(a + 1, b), e.getValue().resolve(rel));
            }
            h.roots.put(e.getKey(), e.getValue());
        }
        return h;
    }

    /** Threads that hash a snapshot's files for its list (reading and hashing is CPU-bound once cached). */
    private static final int HASHERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private record Listed(String rel, long size, Path file) {}

    private static void write(Path rootfs, Path list) throws IOException {
        List<Listed> files = new ArrayList<>();
        Files.walkFileTree(rootfs, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                if (!a.isRegularFile() || a.size() == 0) return java.nio.file.FileVisitResult.CONTINUE;
                String rel = rootfs.relativize(f).toString();
                if (rel.indexOf('\n') >= 0 || rel.indexOf('\t') >= 0) return java.nio.file.FileVisitResult.CONTINUE;
                files.add(new Listed(rel, a.size(), f));
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        // the files split among a few threads, each taking the next unhashed one; null: unreadable, left out
        String[] sha = new String[files.size()];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable hasher = () -> {
            byte[] buf = new byte[1 << 16];
            MessageDigest md = Digest.sha256Digester();
            for (int i; (i = next.getAndIncrement()) < sha.length; ) {
                md.reset();
                try (InputStream in = Files.newInputStream(files.get(i).file(), LinkOption.NOFOLLOW_LINKS)) {
                    for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
                    sha[i] = HexFormat.of().formatHex(md.digest());
                } catch (IOException unreadable) {
                    sha[i] = null;
                }
            }
        };
        List<Thread> helpers = new ArrayList<>();
        for (int t = 1; t < Math.min(HASHERS, sha.length); t++) {
            Thread th = new Thread(hasher, "andock-held-hash");
            th.setDaemon(true);
            th.start();
            helpers.add(th);
        }
        hasher.run();
        for (Thread th : helpers) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while listing " + rootfs);
            }
        }
        Path tmp = list.resolveSibling(list.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (int i = 0; i < sha.length; i++) {
                if (sha[i] != null) w.write(files.get(i).size() + "\t" + sha[i] + "\t" + files.get(i).rel() + "\n");
            }
        }
        Files.move(tmp, list, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Writes the list of a new snapshot without hashing it: the list of the snapshot below its top layer
     * ({@code parentList}, null when the top layer is the only one) less what the layer shadows, plus the layer's
     * files as the rebuild checked them. A file is listed only if it is there as a regular file of that size reached
     * through real directories (no symlink on the way): a wrong list would cost a failed sync or a wrong link.
     */
    public static void derive(Path rootfs, Path list, Path parentList, RebuiltFiles layer) throws IOException {
        java.util.TreeMap<String, String> lines = new java.util.TreeMap<>();
        if (parentList != null) {
            for (String line : Files.readAllLines(parentList, StandardCharsets.UTF_8)) {
                int b = line.indexOf('\t', line.indexOf('\t') + 1);
                if (b > 0) lines.put(line.substring(b + 1), line);
            }
            for (String gone : layer.removed()) {
                if (gone.endsWith("/")) lines.subMap(gone, gone + Character.MAX_VALUE).clear();
                else lines.remove(gone);
            }
        }
        for (var e : layer.files().entrySet()) lines.put(e.getKey(), e.getValue().size() + "\t" + e.getValue().hex() + "\t" + e.getKey());
        Path real = rootfs.toRealPath();
        Map<String, Boolean> realDirs = new HashMap<>();
        Path tmp = list.resolveSibling(list.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (var e : lines.entrySet()) {
                String rel = e.getKey();
                int slash = rel.lastIndexOf('/');
                String dir = slash < 0 ? "" : rel.substring(0, slash);
                boolean dirOk = realDirs.computeIfAbsent(dir, d -> {
                    try {
                        return d.isEmpty() || rootfs.resolve(d).toRealPath().equals(real.resolve(d));
                    } catch (IOException gone) {
                        return false;
                    }
                });
                if (!dirOk) continue;
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(rootfs.resolve(rel), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException gone) {
                    continue;
                }
                String line = e.getValue();
                if (a.isRegularFile() && Long.toString(a.size()).equals(line.substring(0, line.indexOf('\t')))) w.write(line + "\n");
            }
        }
        Files.move(tmp, list, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A file that should hold the content {@code sha256} (hex); the caller verifies it when reading. */
    public Optional<Path> find(String sha256) {
        return Optional.ofNullable(bySha.get(sha256));
    }

    /** Every content held, with one file that holds it. */
    public Map<String, Path> entries() {
        return Map.copyOf(bySha);
    }

    public int size() {
        return bySha.size();
    }

    /** The snapshots these contents come from (chain hex → rootfs). */
    public Map<String, Path> roots() {
        return Map.copyOf(roots);
    }

}
