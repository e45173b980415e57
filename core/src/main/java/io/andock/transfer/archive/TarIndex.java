package io.andock.transfer.archive;

import io.andock.AndockException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The regular files of a tar file with their offsets, read once from the headers (ustar, GNU long names, pax
 * {@code path}/{@code size}), so members are then read in place without extracting. Hard and symbolic links
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

    public static TarIndex open(Path file) {
        TarIndex t = new TarIndex(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            t.scan(ch);
        } catch (IOException e) {
            throw AndockException.wrap("read archive " + file, e);
        }
        return t;
    }

    private void scan(FileChannel ch) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(512);
        long pos = 0;
        String longName = null;
        Map<String, String> pax = Map.of();
        while (true) {
            h.clear();
            if (ch.read(h, pos) < 512) break;
            byte[] b = h.array();
            if (allZero(b)) break;
            String name = str(b, 0, 100);
            String prefix = new String(b, 257, 6, StandardCharsets.US_ASCII).startsWith("ustar") ? str(b, 345, 155) : "";
            if (!prefix.isEmpty()) name = prefix + "/" + name;
            long size = number(b, 124, 12);
            char type = (char) b[156];
            String linkName = str(b, 157, 100);
            long data = pos + 512;
            pos = data + (size + 511) / 512 * 512;
            if (type == 'L' || type == 'x' || type == 'K') {
                byte[] body = new byte[(int) Math.min(size, 1 << 20)];
                ch.read(ByteBuffer.wrap(body), data);
                if (type == 'L') longName = str(body, 0, body.length);
                else if (type == 'x') pax = parsePax(body);
                continue;
            }
            if (longName != null) name = longName;
            if (pax.containsKey("path")) name = pax.get("path");
            if (pax.containsKey("size")) size = Long.parseLong(pax.get("size"));
            if (pax.containsKey("linkpath")) linkName = pax.get("linkpath");
            longName = null;
            pax = Map.of();
            name = clean(name);
            if (type == '0' || type == 0 || type == '7') files.put(name, new Entry(data, size));
            else if (type == '1') links.put(name, clean(linkName));
            else if (type == '2') links.put(name, linkName.startsWith("/") ? clean(linkName) : resolveRelative(name, linkName));
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

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String str(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    static long number(byte[] b, int off, int len) {
        if ((b[off] & 0x80) != 0) { // base-256
            long v = b[off] & 0x7f;
            for (int i = 1; i < len; i++) v = (v << 8) | (b[off + i] & 0xff);
            return v;
        }
        String s = str(b, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    private static Map<String, String> parsePax(byte[] body) {
        Map<String, String> m = new HashMap<>();
        int i = 0;
        while (i < body.length) {
            int sp = i;
            while (sp < body.length && body[sp] != ' ') sp++;
            if (sp >= body.length) break;
            int len = Integer.parseInt(new String(body, i, sp - i, StandardCharsets.US_ASCII));
            if (len <= 0) break;
            String kv = new String(body, sp + 1, len - (sp - i) - 2, StandardCharsets.UTF_8);
            int eq = kv.indexOf('=');
            if (eq > 0) m.put(kv.substring(0, eq), kv.substring(eq + 1));
            i += len;
        }
        return m;
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
