package io.andock.hub.storage;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The embedded store: blobs in core's {@link ContentStore} under {@code <root>/content} (verified content only,
 * renamed into place), staged uploads as its scratch files, metadata as small files under {@code <root>/meta}
 * replaced by rename. Keys never leave {@code meta}: every segment is checked, and no link is followed.
 */
public final class LocalStorage implements HubStorage {
    private static final int BUF = 128 * 1024;
    private final ContentStore content;
    private final Path meta;
    private final Path metaTmp;

    private LocalStorage(ContentStore content, Path meta, Path metaTmp) {
        this.content = content;
        this.meta = meta;
        this.metaTmp = metaTmp;
    }

    public static LocalStorage open(Path root) {
        try {
            Files.createDirectories(root);
            Path meta = root.resolve("meta");
            Path tmp = root.resolve("meta-tmp");
            Files.createDirectories(meta);
            Files.createDirectories(tmp);
            return new LocalStorage(ContentStore.open(root.resolve("content")), meta, tmp);
        } catch (IOException e) {
            throw AndockException.wrap("open hub store " + root, e);
        }
    }

    public ContentStore content() {
        return content;
    }

    @Override
    public Optional<Stat> statBlob(Digest d) {
        return stat(content.blobPath(d));
    }

    @Override
    public InputStream openBlob(Digest d, long offset) {
        try {
            FileChannel ch = FileChannel.open(content.blobPath(d), StandardOpenOption.READ);
            ch.position(offset);
            return Channels.newInputStream(ch);
        } catch (NoSuchFileException e) {
            throw AndockException.notFound("blob " + d + " not found");
        } catch (IOException e) {
            throw AndockException.wrap("open blob " + d, e);
        }
    }

    @Override
    public Optional<Path> blobFile(Digest d) {
        return Optional.of(content.blobPath(d));
    }

    @Override
    public boolean deleteBlob(Digest d) {
        return content.delete(d);
    }

    @Override
    public List<Digest> listBlobs() {
        return content.list();
    }

    @Override
    public Staged stage(String id) {
        Path f = content.scratchFile("upload-" + Keys.id(id));
        try {
            FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
            return new FileStaged(f, ch, 0);
        } catch (IOException e) {
            throw AndockException.wrap("stage upload " + id, e);
        }
    }

    @Override
    public Optional<Staged> resume(String id) {
        Path f = content.scratchFile("upload-" + Keys.id(id));
        try {
            FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.READ);
            return Optional.of(new FileStaged(f, ch, ch.size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw AndockException.wrap("resume upload " + id, e);
        }
    }

    private final class FileStaged implements Staged {
        private final Path file;
        private final FileChannel ch;
        private long size;

        FileStaged(Path file, FileChannel ch, long size) {
            this.file = file;
            this.ch = ch;
            this.size = size;
        }

        @Override
        public java.time.Instant modified() {
            return stat(file).map(Stat::modified).orElse(java.time.Instant.EPOCH);
        }

        @Override
        public synchronized long size() {
            return size;
        }

        @Override
        public synchronized long append(InputStream in, long max) {
            long start = size;
            long n = 0;
            try {
                ch.position(start);
                OutputStream out = Channels.newOutputStream(ch);
                byte[] buf = new byte[BUF];
                for (int r; (r = in.read(buf)) > 0; ) {
                    n += r;
                    if (n > max) throw new TooLarge(max);
                    out.write(buf, 0, r);
                }
                size = start + n;
                return n;
            } catch (IOException | RuntimeException e) {
                try {
                    ch.truncate(start);
                } catch (IOException ignored) {
                    // the upload is unusable anyway; the registry discards it
                }
                if (e instanceof RuntimeException re) throw re;
                throw new java.io.UncheckedIOException((IOException) e);
            }
        }

        @Override
        public Optional<Path> localFile() {
            return Optional.of(file);
        }

        @Override
        public InputStream read() {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw AndockException.wrap("read upload", e);
            }
        }

        @Override
        public synchronized void publish(Digest d) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // publish fsyncs through its own channel
            }
            content.publishVerified(file, d);
        }

        @Override
        public synchronized void discard() {
            try {
                ch.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw AndockException.wrap("discard upload", e);
            }
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(path(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (Files.isDirectory(path(key), LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            throw AndockException.wrap("read " + key, e);
        }
    }

    @Override
    public Optional<Stat> stat(String key) {
        Optional<Stat> s = stat(path(key));
        return s;
    }

    private static Optional<Stat> stat(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) return Optional.empty();
            return Optional.of(new Stat(a.size(), a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw AndockException.wrap("stat " + p, e);
        }
    }

    @Override
    public void put(String key, byte[] value) {
        Path p = path(key);
        Path tmp = metaTmp.resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(p.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(value));
                ch.force(true);
            }
            try {
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw AndockException.wrap("write " + key, e);
        }
    }

    @Override
    public boolean delete(String key) {
        Path p = path(key);
        try {
            boolean gone = Files.deleteIfExists(p);
            // prune the directories this left empty (never meta itself)
            for (Path d = p.getParent(); gone && d != null && !d.equals(meta); d = d.getParent()) {
                try {
                    Files.delete(d);
                } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                    break;
                }
            }
            return gone;
        } catch (DirectoryNotEmptyException e) {
            return false;
        } catch (IOException e) {
            throw AndockException.wrap("delete " + key, e);
        }
    }

    @Override
    public List<String> children(String prefix) {
        Path p = prefix.isEmpty() ? meta : path(prefix);
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return List.of();
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
            for (Path c : ds) out.add(c.getFileName().toString());
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw AndockException.wrap("list " + prefix, e);
        }
        Collections.sort(out);
        return out;
    }

    @Override
    public void cleanStaged(Duration idle) {
        content.cleanIngests(idle);
        java.time.Instant cutoff = java.time.Instant.now().minus(idle);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(metaTmp)) {
            for (Path c : ds) {
                if (idle.isZero() || stat(c).map(st -> st.modified().isBefore(cutoff)).orElse(false)) Files.deleteIfExists(c);
            }
        } catch (IOException e) {
            throw AndockException.wrap("clean " + metaTmp, e);
        }
    }

    private Path path(String key) {
        Path p = meta;
        for (String seg : Keys.segments(key)) p = p.resolve(seg);
        return p;
    }
}
