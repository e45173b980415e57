package io.andock.content;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.os.ProcessLock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The content store: blobs by digest under {@code <dir>/blobs/<alg>/<hex>}, ingests under {@code <dir>/ingest/}
 * ({@code <alg>-<hex>.data} with its lock file {@code <alg>-<hex>.lock}; {@code tmp-*} for writes of unknown
 * digest). A blob path exists only for verified content: everything is written to the ingest directory first,
 * fsynced, then renamed into place (same file system, so the rename is atomic).
 *
 * <p>Garbage collection holds {@link #gcLock()} exclusively; every writer that must keep its fresh blobs alive until
 * it records an image holds it shared.
 */
public final class ContentStore implements BlobReader, BlobIngester {
    private static final int BUF = 128 * 1024;
    private final Path dir;
    private final Path ingestDir;
    private final Map<Digest, IngestState> active = new ConcurrentHashMap<>();

    private ContentStore(Path dir) {
        this.dir = dir;
        this.ingestDir = dir.resolve("ingest");
    }

    /** Opens (creating it if needed) the store in {@code dir}, e.g. {@code <root>/content}. */
    public static ContentStore open(Path dir) {
        try {
            Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
            Files.createDirectories(dir.resolve("ingest"));
        } catch (IOException e) {
            throw AndockException.wrap("open content store " + dir, e);
        }
        return new ContentStore(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Where a blob lives once published. */
    public Path blobPath(Digest d) {
        return dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
    }

    /** Shared by writers that keep new blobs unreferenced for a while (a pull), exclusive for garbage collection. */
    public ProcessLock gcLock(boolean exclusive) {
        Path f = ingestDir.resolve("gc.lock");
        return exclusive ? ProcessLock.exclusive(f) : ProcessLock.shared(f);
    }

    @Override
    public boolean exists(Digest digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    @Override
    public long size(Digest digest) {
        try {
            return Files.size(blobPath(digest));
        } catch (NoSuchFileException e) {
            throw AndockException.notFound("blob " + digest + " not found");
        } catch (IOException e) {
            throw AndockException.wrap("blob " + digest, e);
        }
    }

    @Override
    public InputStream open(Digest digest) {
        try {
            return Files.newInputStream(blobPath(digest));
        } catch (NoSuchFileException e) {
            throw AndockException.notFound("blob " + digest + " not found");
        } catch (IOException e) {
            throw AndockException.wrap("open blob " + digest, e);
        }
    }

    /**
     * A stream over a blob that may still be arriving: follows this process's active ingest of it, or reads the
     * published blob. Empty when neither exists (yet).
     */
    public Optional<InputStream> follow(Digest digest) {
        IngestState st = active.get(digest);
        if (st != null) {
            synchronized (st) {
                if (st.failed == null) {
                    try {
                        return Optional.of(new FollowInputStream(st, FileChannel.open(st.file, StandardOpenOption.READ)));
                    } catch (IOException e) {
                        throw AndockException.wrap("follow ingest of " + digest, e);
                    }
                }
            }
        }
        return exists(digest) ? Optional.of(open(digest)) : Optional.empty();
    }

    /** Every published blob. */
    public List<Digest> list() {
        List<Digest> out = new ArrayList<>();
        try (DirectoryStream<Path> algs = Files.newDirectoryStream(dir.resolve("blobs"))) {
            for (Path alg : algs) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(alg)) {
                    for (Path p : ds) {
                        String name = alg.getFileName() + ":" + p.getFileName();
                        if (Digest.isDigest(name)) out.add(Digest.parse(name));
                    }
                }
            }
        } catch (IOException e) {
            throw AndockException.wrap("list blobs", e);
        }
        return out;
    }

    /** Deletes a blob; false when it was absent. Callers hold the gc lock exclusively. */
    public boolean delete(Digest d) {
        try {
            return Files.deleteIfExists(blobPath(d));
        } catch (IOException e) {
            throw AndockException.wrap("delete blob " + d, e);
        }
    }

    /**
     * Removes leftovers of dead writers: ingest data nobody holds the lock for and that was not touched for
     * {@code age}, and {@code tmp-*} files older than that. Live ingests are never touched.
     */
    public int cleanIngests(Duration age) {
        int removed = 0;
        Instant cutoff = Instant.now().minus(age);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ingestDir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!(n.endsWith(".data") || n.startsWith("tmp-"))) continue;
                FileTime t = Files.getLastModifiedTime(p);
                if (t.toInstant().isAfter(cutoff)) continue;
                if (n.endsWith(".data")) {
                    Path lockFile = ingestDir.resolve(n.substring(0, n.length() - 5) + ".lock");
                    try (ProcessLock l = ProcessLock.exclusive(lockFile)) {
                        if (Files.deleteIfExists(p)) removed++;
                    }
                } else if (Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw AndockException.wrap("clean ingests", e);
        }
        return removed;
    }

    @Override
    public Ingest begin(Descriptor expected) {
        Digest d = expected.digest();
        String base = d.algorithm() + "-" + d.hex();
        ProcessLock lock = ProcessLock.exclusive(ingestDir.resolve(base + ".lock"));
        try {
            if (exists(d)) {
                long have = size(d);
                lock.close();
                if (have != expected.size()) {
                    throw AndockException.corrupt("size " + expected.size() + " expected, " + have + " stored");
                }
                return FileIngest.existing(expected);
            }
            return FileIngest.start(this, expected, ingestDir.resolve(base + ".data"), lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public Descriptor write(InputStream in, String mediaType) {
        Path tmp = ingestDir.resolve("tmp-" + UUID.randomUUID());
        try {
            MessageDigest md = Digest.sha256Digester();
            long size = 0;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch)) {
                byte[] buf = new byte[BUF];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                    size += n;
                }
                ch.force(true);
            }
            Digest d = Digest.of("sha256", md);
            if (exists(d)) Files.delete(tmp);
            else publish(tmp, blobPath(d));
            return new Descriptor(mediaType, d, size);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw AndockException.wrap("write blob", e);
        }
    }

    /**
     * A scratch file in the ingest directory for a write whose digest is known only at its end (a registry
     * upload): {@code tmp-<id>}, which {@link #cleanIngests} removes once stale. {@code id} is the caller's own
     * (letters, digits and dashes only).
     */
    public Path scratchFile(String id) {
        if (!id.matches("[A-Za-z0-9-]{1,80}")) throw AndockException.invalid("invalid scratch id " + id);
        return ingestDir.resolve("tmp-" + id);
    }

    /**
     * Publishes a scratch file under a digest its caller has verified against the file's bytes (the store does not
     * hash it again): fsynced, then renamed into place atomically. When the blob exists already the file is deleted.
     */
    public void publishVerified(Path scratch, Digest d) {
        try {
            if (!scratch.getParent().equals(ingestDir)) throw AndockException.invalid("not a scratch file: " + scratch);
            if (exists(d)) {
                Files.deleteIfExists(scratch);
                return;
            }
            try (FileChannel ch = FileChannel.open(scratch, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            publish(scratch, blobPath(d));
        } catch (IOException e) {
            throw AndockException.wrap("publish blob " + d, e);
        }
    }

    static void publish(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    void register(Digest d, IngestState st) {
        active.put(d, st);
    }

    void unregister(Digest d, IngestState st) {
        active.remove(d, st);
    }
}
