package io.andock.hub.storage;

import io.andock.AndockException;
import io.andock.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The hub's store in an S3 bucket, so that several hub replicas share it with no other database. Objects (under an
 * optional prefix): {@code blobs/<alg>/<hex>} (verified blobs), {@code meta/<key>} (metadata, one object per key),
 * {@code uploads/<id>/<offset>} (a staged upload as parts, one per append, named by the offset it starts at, 20
 * digits). Parts make a chunked upload work when its PATCH requests reach different replicas; publishing copies a
 * single part server-side or streams the parts into the blob's object, so a blob appears whole (S3 PUTs are atomic)
 * and only after the registry verified it. An append is spooled to a local file first (S3 needs a length), which is
 * also what a reader in this process sees of an append under way.
 *
 * <p>Limits of plain PUT and copy: a chunk and an assembled blob are at most 5 GiB on AWS (other servers differ).
 */
public final class S3Storage implements HubStorage {
    private static final int BUF = 128 * 1024;
    private final S3Client s3;
    private final String prefix;
    private final Path spool;

    public S3Storage(S3Client s3, String prefix, Path spool) {
        this.s3 = s3;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.spool = spool;
    }

    /** Opens the bucket (creating it when absent) and a local spool directory for appends under way. */
    public static S3Storage open(S3Client s3, String prefix, Path spool) {
        try {
            Files.createDirectories(spool);
            try (var ds = Files.newDirectoryStream(spool)) {
                for (Path p : ds) Files.deleteIfExists(p); // a dead process's appends: their parts were never written
            }
        } catch (IOException e) {
            throw AndockException.wrap("open s3 spool " + spool, e);
        }
        s3.ensureBucket();
        return new S3Storage(s3, prefix, spool);
    }

    private String blobKey(Digest d) {
        return prefix + "blobs/" + d.algorithm() + "/" + d.hex();
    }

    private String metaKey(String key) {
        Keys.segments(key);
        return prefix + "meta/" + key;
    }

    private String partsPrefix(String id) {
        return prefix + "uploads/" + Keys.id(id) + "/";
    }

    // ---------------------------------------------------------------- blobs

    @Override
    public Optional<Stat> statBlob(Digest d) {
        return s3.head(blobKey(d)).map(h -> new Stat(h.size(), h.modified()));
    }

    @Override
    public InputStream openBlob(Digest d, long offset) {
        try {
            return s3.get(blobKey(d), offset);
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.NOT_FOUND) throw AndockException.notFound("blob " + d + " not found");
            throw e;
        }
    }

    @Override
    public boolean deleteBlob(Digest d) {
        return deleteObject(blobKey(d));
    }

    private boolean deleteObject(String key) {
        if (s3.head(key).isEmpty()) return false;
        s3.delete(key);
        return true;
    }

    @Override
    public List<Digest> listBlobs() {
        List<Digest> out = new ArrayList<>();
        String p = prefix + "blobs/";
        for (String key : s3.list(p, null).objects().keySet()) {
            String d = key.substring(p.length()).replace('/', ':');
            if (Digest.isDigest(d)) out.add(Digest.parse(d));
        }
        return out;
    }

    // ---------------------------------------------------------------- staged uploads

    @Override
    public Staged stage(String id) {
        return new PartsStaged(id, Instant.now());
    }

    @Override
    public Optional<Staged> resume(String id) {
        return Optional.of(new PartsStaged(id, Instant.EPOCH));
    }

    /** Spool file of an append under way, and the offset it starts at. */
    private record Current(Path file, long start) {}

    private final class PartsStaged implements Staged {
        private final String id;
        private final String parts;
        private final Instant begun;
        private Current current;

        PartsStaged(String id, Instant begun) {
            this.id = id;
            this.begun = begun;
            this.parts = partsPrefix(id);
        }

        private TreeMap<Long, S3Client.Head> parts() {
            TreeMap<Long, S3Client.Head> out = new TreeMap<>();
            for (Map.Entry<String, S3Client.Head> e : s3.list(parts, null).objects().entrySet()) {
                String n = e.getKey().substring(parts.length());
                if (n.matches("[0-9]{20}")) out.put(Long.parseLong(n), e.getValue());
            }
            return out;
        }

        private long sizeOf(TreeMap<Long, S3Client.Head> ps) {
            return ps.isEmpty() ? 0 : ps.lastKey() + ps.lastEntry().getValue().size();
        }

        @Override
        public long size() {
            return sizeOf(parts());
        }

        @Override
        public Instant modified() {
            Instant t = begun;
            for (S3Client.Head h : parts().values()) if (h.modified().isAfter(t)) t = h.modified();
            return t;
        }

        @Override
        public long append(InputStream in, long max) {
            long start = size();
            Path f;
            try {
                f = Files.createTempFile(spool, id, ".part");
            } catch (IOException e) {
                throw AndockException.wrap("spool upload " + id, e);
            }
            try {
                long n = 0;
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    synchronized (this) {
                        current = new Current(f, start);
                    }
                    OutputStream out = Channels.newOutputStream(ch);
                    byte[] buf = new byte[BUF];
                    for (int r; (r = in.read(buf)) > 0; ) {
                        n += r;
                        if (n > max) throw new TooLarge(max);
                        out.write(buf, 0, r);
                    }
                }
                if (n > 0) s3.putFile(partKey(start), f);
                return n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                synchronized (this) {
                    current = null;
                }
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // the spool is emptied at the next start
                }
            }
        }

        private String partKey(long start) {
            return parts + String.format("%020d", start);
        }

        @Override
        public synchronized Optional<Path> localFile() {
            // only an append from the start holds every byte (a mirror's fetch is one such append)
            return current != null && current.start() == 0 ? Optional.of(current.file()) : Optional.empty();
        }

        @Override
        public InputStream read() {
            Current c;
            InputStream spooled = null;
            synchronized (this) {
                c = current;
                if (c != null) {
                    try {
                        spooled = Files.newInputStream(c.file());
                    } catch (IOException e) {
                        throw AndockException.wrap("read upload " + id, e);
                    }
                }
            }
            List<String> keys = new ArrayList<>();
            for (Long off : parts().keySet()) if (c == null || off < c.start()) keys.add(partKey(off));
            Iterator<String> it = keys.iterator();
            InputStream tail = spooled;
            // each part is opened when the one before it is read to its end
            return new SequenceInputStream(new java.util.Enumeration<>() {
                boolean tailGiven = tail == null;

                @Override
                public boolean hasMoreElements() {
                    return it.hasNext() || !tailGiven;
                }

                @Override
                public InputStream nextElement() {
                    if (it.hasNext()) return s3.get(it.next(), 0);
                    if (tailGiven) throw new NoSuchElementException();
                    tailGiven = true;
                    return tail;
                }
            });
        }

        @Override
        public void publish(Digest d) {
            TreeMap<Long, S3Client.Head> ps = parts();
            long total = sizeOf(ps);
            if (ps.isEmpty()) {
                s3.put(blobKey(d), new byte[0]);
            } else if (ps.size() == 1) {
                s3.copy(partKey(ps.firstKey()), blobKey(d));
            } else {
                s3.putStream(blobKey(d), this::read, total);
            }
            discard(ps);
        }

        @Override
        public void discard() {
            discard(parts());
        }

        private void discard(TreeMap<Long, S3Client.Head> ps) {
            for (Long off : ps.keySet()) s3.delete(partKey(off));
        }
    }

    @Override
    public void cleanStaged(Duration idle) {
        Instant cutoff = Instant.now().minus(idle);
        String p = prefix + "uploads/";
        Map<String, Instant> newest = new TreeMap<>();
        Map<String, List<String>> keys = new TreeMap<>();
        for (Map.Entry<String, S3Client.Head> e : s3.list(p, null).objects().entrySet()) {
            String rest = e.getKey().substring(p.length());
            int slash = rest.indexOf('/');
            if (slash <= 0) continue;
            String id = rest.substring(0, slash);
            newest.merge(id, e.getValue().modified(), (a, b) -> a.isAfter(b) ? a : b);
            keys.computeIfAbsent(id, x -> new ArrayList<>()).add(e.getKey());
        }
        for (Map.Entry<String, Instant> e : newest.entrySet()) {
            if (e.getValue().isAfter(cutoff)) continue;
            for (String k : keys.get(e.getKey())) s3.delete(k);
        }
    }

    // ---------------------------------------------------------------- metadata

    @Override
    public Optional<byte[]> get(String key) {
        return s3.getBytes(metaKey(key), S3Client.MAX_SMALL);
    }

    @Override
    public Optional<Stat> stat(String key) {
        return s3.head(metaKey(key)).map(h -> new Stat(h.size(), h.modified()));
    }

    @Override
    public void put(String key, byte[] value) {
        s3.put(metaKey(key), value);
    }

    @Override
    public boolean delete(String key) {
        return deleteObject(metaKey(key));
    }

    @Override
    public List<String> children(String key) {
        String p = key.isEmpty() ? prefix + "meta/" : metaKey(key) + "/";
        S3Client.Listing l = s3.list(p, "/");
        TreeSet<String> out = new TreeSet<>();
        for (String k : l.objects().keySet()) out.add(k.substring(p.length()));
        // servers on a file system (SeaweedFS) may list a folder its last object just left: only non-empty ones count
        for (String c : l.prefixes()) if (s3.any(c)) out.add(c.substring(p.length(), c.length() - 1));
        out.remove("");
        return new ArrayList<>(out);
    }
}
