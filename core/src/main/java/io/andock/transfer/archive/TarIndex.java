package io.andock.transfer.archive;

import io.andock.AndockException;
import io.andock.tar.TarEntry;
import io.andock.tar.TarReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The regular files of a tar file with their offsets, read once from the headers by {@link TarReader} (which checks
 * every size and offset against the file), so members are then read in place without extracting. Hard and symbolic links
 * between members (old docker-archives link duplicate layers) are followed.
 */
public final class TarIndex implements ArchiveFiles {
    private record Entry(long offset, long size) {
    }

    private final Path file;
    private final Map<String, Entry> files = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();

    private TarIndex(Path file) {
        this.file = file;
    }

    /** Indexes {@code file}; a malformed archive fails here, {@link AndockException.Kind#CORRUPT} naming it. */
    public static TarIndex open(Path file) {
        TarIndex t = new TarIndex(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            t.scan(ch);
        } catch (IOException | AndockException e) {
            throw AndockException.wrap("read archive " + file, e);
        }
        return t;
    }

    private void scan(FileChannel ch) throws IOException {
        TarReader reader = new TarReader(new SeekingStream(ch), ch.size());
        for (TarEntry e = reader.next(); e != null; e = reader.next()) {
            String name = clean(e.name());
            switch (e.type()) {
                case FILE -> files.put(name, new Entry(reader.dataOffset(), e.size()));
                case HARDLINK -> links.put(name, clean(e.linkName()));
                case SYMLINK -> links.put(name, e.linkName().startsWith("/") ? clean(e.linkName())
                        : resolveRelative(name, e.linkName()));
                default -> {
                    // directories and special files hold nothing an image is read from
                }
            }
        }
    }

    /** The channel as a stream whose {@code skip} is a seek that stops at the end of the file. */
    private static final class SeekingStream extends java.io.FilterInputStream {
        private final FileChannel ch;

        SeekingStream(FileChannel ch) {
            super(Channels.newInputStream(ch));
            this.ch = ch;
        }

        @Override
        public long skip(long n) throws IOException {
            long pos = ch.position();
            long to = Math.min(ch.size(), pos + Math.max(0, Math.min(n, Long.MAX_VALUE - pos)));
            ch.position(to);
            return to - pos;
        }
    }

    private static String resolveRelative(String name, String link) {
        int slash = name.lastIndexOf('/');
        String dir = slash < 0 ? "" : name.substring(0, slash + 1);
        return clean(Path.of("/" + dir + link).normalize().toString());
    }

    private static String clean(String n) {
        while (n.startsWith("./")) n = n.substring(2);
        while (n.startsWith("/")) n = n.substring(1);
        return n;
    }

    private Entry entry(String name) {
        String n = clean(name);
        for (int hops = 0; hops < 16 && !files.containsKey(n) && links.containsKey(n); hops++) n = links.get(n);
        return files.get(n);
    }

    @Override
    public Optional<Long> size(String name) {
        Entry e = entry(name);
        return e == null ? Optional.empty() : Optional.of(e.size);
    }

    @Override
    public InputStream open(String name, long offset) {
        Entry e = entry(name);
        if (e == null) throw AndockException.notFound("archive has no " + name);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(e.offset + offset);
            InputStream in = Channels.newInputStream(ch);
            return new BoundedInputStream(in, e.size - offset);
        } catch (IOException x) {
            throw AndockException.wrap("open " + name, x);
        }
    }

    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long left;

        BoundedInputStream(InputStream in, long left) {
            super(in);
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) return -1;
            int c = in.read();
            if (c >= 0) left--;
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) left -= n;
            return n;
        }
    }
}
