package io.andock.sync;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an uncompressed layer tar once and makes its file index and its {@link TarRecipe}: every header block,
 * PAX or GNU long-name record and padding is kept as a literal, every regular file's data becomes a content
 * reference. The recipe rebuilds the very bytes read (the scanner hashes the whole stream: that is the diff_id).
 * Sparse files and headers with a bad checksum make the layer {@link Unrebuildable}: it is then served whole.
 */
public final class TarScanner {
    private static final int BLOCK = 512;
    /** Most bytes of a PAX record or GNU long name kept to learn an entry's path. */
    private static final int MAX_META = 1 << 20;

    /** Sees each regular file's data as it streams by (the hub builds packs this way); must read it all or none. */
    public interface DataVisitor {
        void file(FileEntry entry, InputStream data) throws IOException;
    }

    /** The layer cannot be described by a recipe (sparse entries, a broken header): it travels whole. */
    public static final class Unrebuildable extends Exception {
        public Unrebuildable(String why) {
            super(why);
        }
    }

    public record Result(byte[] diffId, long tarSize, List<FileEntry> entries) {}

    private TarScanner() {
    }

    /** Scans {@code tar}; {@code recipeOut} receives the recipe (the caller compresses it), visitor may be null. */
    public static Result scan(InputStream tar, java.io.OutputStream recipeOut, DataVisitor visitor) throws IOException, Unrebuildable {
        MessageDigest all = io.andock.image.Digest.sha256Digester();
        Counting in = new Counting(tar, all);
        TarRecipe.Writer w = new TarRecipe.Writer(recipeOut);
        ByteArrayOutputStream lit = new ByteArrayOutputStream();
        List<FileEntry> entries = new ArrayList<>();
        byte[] h = new byte[BLOCK];
        String longName = null;
        String paxPath = null;
        long paxSize = -1;
        while (true) {
            int n = in.readNBytes(h, 0, BLOCK);
            if (n < BLOCK) {
                lit.write(h, 0, n);
                if (n > 0) throw new Unrebuildable("ends inside a header");
                break;
            }
            if (zero(h)) {
                lit.write(h, 0, BLOCK);
                in.transferTo(lit); // the end blocks and any record padding: all literal
                break;
            }
            if (!checksumOk(h)) throw new Unrebuildable("a header's checksum is wrong at byte " + (in.count - BLOCK));
            lit.write(h, 0, BLOCK);
            char type = (char) (h[156] & 0xff);
            long size = number(h, 124, 12);
            if (size < 0) throw new Unrebuildable("bad size field");
            switch (type) {
                case 'x', 'g', 'L', 'K' -> {
                    if (size > MAX_META) throw new Unrebuildable("metadata record of " + size + " bytes");
                    byte[] data = in.readNBytes((int) size);
                    if (data.length != size) throw new Unrebuildable("ends inside a metadata record");
                    lit.write(data);
                    padding(in, lit, size);
                    if (type == 'L') longName = cstring(data, 0, data.length);
                    if (type == 'x') {
                        String p = pax(data, "path");
                        if (p != null) paxPath = p;
                        String s = pax(data, "size");
                        if (s != null) paxSize = Long.parseLong(s);
                    }
                    continue;
                }
                case 'S' -> throw new Unrebuildable("sparse entries");
                default -> {
                }
            }
            if (paxSize >= 0) size = paxSize;
            String path = paxPath != null ? paxPath : longName != null ? longName : ustarName(h);
            if (path.startsWith("./")) path = path.substring(2);
            longName = null;
            paxPath = null;
            paxSize = -1;
            int mode = (int) number(h, 100, 8);
            long uid = number(h, 108, 8);
            long gid = number(h, 116, 8);
            boolean regular = type == '0' || type == '\0' || type == '7';
            if (regular && size > 0) {
                w.literal(lit.toByteArray(), 0, lit.size());
                lit.reset();
                MessageDigest fd = io.andock.image.Digest.sha256Digester();
                Bounded data = new Bounded(in, size, fd);
                FileEntry pending = new FileEntry(path, type, mode, uid, gid, size, null);
                if (visitor != null) visitor.file(pending, data);
                data.transferTo(java.io.OutputStream.nullOutputStream());
                byte[] sha = fd.digest();
                w.content(size, sha);
                entries.add(new FileEntry(path, type, mode, uid, gid, size, sha));
                padding(in, lit, size);
            } else {
                if (size > 0) {
                    if (size > TarRecipe.MAX_LITERAL) throw new Unrebuildable("entry data of " + size + " bytes");
                    byte[] data = in.readNBytes((int) size);
                    if (data.length != size) throw new Unrebuildable("ends inside an entry");
                    lit.write(data);
                    padding(in, lit, size);
                }
                entries.add(new FileEntry(path, type == '\0' ? '0' : type, mode, uid, gid, regular ? 0 : size,
                        regular ? EMPTY_SHA.clone() : null));
            }
            if (lit.size() > (4 << 20)) {
                w.literal(lit.toByteArray(), 0, lit.size());
                lit.reset();
            }
        }
        w.literal(lit.toByteArray(), 0, lit.size());
        w.end();
        return new Result(all.digest(), in.count, entries);
    }

    static final byte[] EMPTY_SHA = io.andock.image.Digest.sha256Digester().digest();

    private static void padding(Counting in, ByteArrayOutputStream lit, long size) throws IOException, Unrebuildable {
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (pad == 0) return;
        byte[] p = in.readNBytes(pad);
        lit.write(p);
        if (p.length != pad) throw new Unrebuildable("ends inside padding");
    }

    private static boolean zero(byte[] h) {
        for (byte b : h) if (b != 0) return false;
        return true;
    }

    private static boolean checksumOk(byte[] h) {
        long want = number(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        return sum == want;
    }

    /** An octal field, or GNU base-256 (high bit set); -1 when unreadable. */
    static long number(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) return -1;
                v = (v << 8) | (h[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off, end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) i++;
        for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
            if (v > (Long.MAX_VALUE >> 3)) return -1;
            v = v * 8 + (h[i] - '0');
        }
        return v;
    }

    private static String ustarName(byte[] h) {
        String name = cstring(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
        if (ustar && h[345] != 0) return cstring(h, 345, 155) + "/" + name;
        return name;
    }

    private static String cstring(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** The last value of {@code key} in PAX records ("LEN key=value\n", LEN counted in bytes). */
    private static String pax(byte[] data, String key) {
        String found = null;
        int i = 0;
        while (i < data.length) {
            int sp = i;
            while (sp < data.length && data[sp] != ' ') sp++;
            if (sp >= data.length) break;
            int len;
            try {
                len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                break;
            }
            if (len <= sp - i + 1 || i + len > data.length) break;
            String rec = new String(data, sp + 1, i + len - 1 - (sp + 1), StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq > 0 && rec.substring(0, eq).equals(key)) found = rec.substring(eq + 1);
            i += len;
        }
        return found;
    }

    /** The tar stream, counted and hashed as it is read. */
    private static final class Counting extends InputStream {
        private final InputStream in;
        private final MessageDigest md;
        long count;

        Counting(InputStream in, MessageDigest md) {
            this.in = in;
            this.md = md;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                md.update(b, off, n);
                count += n;
            }
            return n;
        }
    }

    /** One file's data: exactly {@code size} bytes of the tar, hashed; a short archive is an error. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private final MessageDigest md;
        private long left;

        Bounded(InputStream in, long size, MessageDigest md) {
            this.in = in;
            this.left = size;
            this.md = md;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new EOFException("the archive ends inside a file's data");
            md.update(b, off, n);
            left -= n;
            return n;
        }

        @Override
        public void close() {
        }
    }

}
