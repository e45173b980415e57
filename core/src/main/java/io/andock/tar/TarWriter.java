package io.andock.tar;

import io.andock.AndockException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a tar stream the way Go's {@code archive/tar} does for Docker layers: a USTAR header per entry, preceded by a
 * PAX extended header ({@code x}) when a field does not fit USTAR (names over 100 bytes that cannot be split at a
 * {@code /} into prefix and name, link targets over 100 bytes, non-ASCII names, ids over 2097151, sizes of 8 GiB or
 * more). Times are whole seconds (as Docker truncates them), so equal trees give equal bytes. Not thread-safe.
 *
 * <p>{@link #directory} and the {@code file} methods write what {@code docker save} writes (root owned, mtime 0, modes
 * 0755 and 0644), a file's stream held to its declared size.
 */
public final class TarWriter {
    /** Entry types, as tar's typeflag. */
    public enum Type {
        FILE('0'), HARDLINK('1'), SYMLINK('2'), CHAR_DEVICE('3'), BLOCK_DEVICE('4'), DIRECTORY('5'), FIFO('6');
        final char flag;

        Type(char flag) {
            this.flag = flag;
        }
    }

    /** One entry: {@code name} relative, {@code /}-separated, without trailing slash; {@code link} for links. */
    public record Header(String name, Type type, int mode, long uid, long gid, long size, long mtimeSeconds,
                         String link, int devMajor, int devMinor) {
        public static Header of(String name, Type type, int mode, long uid, long gid, long size, long mtime) {
            return new Header(name, type, mode, uid, gid, size, mtime, "", 0, 0);
        }
    }

    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_7 = 07777777L;
    private static final long MAX_OCTAL_11 = 077777777777L;

    private final OutputStream out;
    private long written;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code h} and, for a regular file, exactly {@code h.size()} bytes of {@code content}. */
    public void add(Header h, InputStream content) throws IOException {
        add(h, content, false);
    }

    /** A root-owned directory with mtime 0. */
    public void directory(String name) throws IOException {
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        add(Header.of(n, Type.DIRECTORY, 0755, 0, 0, 0, 0), null, true);
    }

    /** A root-owned 0644 file with mtime 0 holding {@code data}. */
    public void file(String name, byte[] data) throws IOException {
        file(name, data.length, new ByteArrayInputStream(data));
    }

    /**
     * A root-owned 0644 file with mtime 0 and exactly {@code size} bytes of {@code in}: a stream that delivers
     * another number of bytes is {@link AndockException.Kind#CORRUPT} (a blob must match its descriptor; the archive
     * is then unusable).
     */
    public void file(String name, long size, InputStream in) throws IOException {
        add(Header.of(name, Type.FILE, 0644, 0, 0, size, 0), in, true);
    }

    private void add(Header h, InputStream content, boolean exact) throws IOException {
        String name = h.type() == Type.DIRECTORY ? h.name() + "/" : h.name();
        Map<String, String> pax = new LinkedHashMap<>();
        String[] split = split(name);
        if (split == null || !ascii(name)) pax.put("path", name);
        if (h.link().getBytes(StandardCharsets.UTF_8).length > 100 || !ascii(h.link())) pax.put("linkpath", h.link());
        if (h.uid() > MAX_OCTAL_7) pax.put("uid", Long.toString(h.uid()));
        if (h.gid() > MAX_OCTAL_7) pax.put("gid", Long.toString(h.gid()));
        if (h.size() > MAX_OCTAL_11) pax.put("size", Long.toString(h.size()));
        if (!pax.isEmpty()) writePax(name, pax);
        byte[] block = new byte[BLOCK];
        if (split == null) split = new String[]{"", truncate(name, 100)};
        put(block, 0, 100, split[1]);
        octal(block, 100, 8, h.mode() & 07777);
        octal(block, 108, 8, Math.min(h.uid(), MAX_OCTAL_7));
        octal(block, 116, 8, Math.min(h.gid(), MAX_OCTAL_7));
        octal(block, 124, 12, h.size() > MAX_OCTAL_11 ? 0 : h.size());
        octal(block, 136, 12, Math.max(0, Math.min(h.mtimeSeconds(), MAX_OCTAL_11)));
        block[156] = (byte) h.type().flag;
        put(block, 157, 100, truncate(h.link(), 100));
        put(block, 257, 6, "ustar");
        block[263] = '0';
        block[264] = '0';
        if (h.type() == Type.CHAR_DEVICE || h.type() == Type.BLOCK_DEVICE) {
            octal(block, 329, 8, h.devMajor());
            octal(block, 337, 8, h.devMinor());
        }
        put(block, 345, 155, split[0]);
        checksum(block);
        write(block);
        if (h.type() == Type.FILE && (h.size() > 0 || exact)) copy(content, h.size(), exact ? h.name() : null);
    }

    /** The two zero blocks that end an archive; does not close the stream. */
    public void finish() throws IOException {
        write(new byte[BLOCK * 2]);
        out.flush();
    }

    private void writePax(String name, Map<String, String> records) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : records.entrySet()) {
            String rec = " " + e.getKey() + "=" + e.getValue() + "\n";
            int len = rec.getBytes(StandardCharsets.UTF_8).length;
            int total = len + Integer.toString(len).length();
            if (Integer.toString(total).length() != Integer.toString(len).length()) total++;
            b.append(total).append(rec);
        }
        byte[] data = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[BLOCK];
        String base = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        String paxName = "PaxHeaders.0/" + base.substring(base.lastIndexOf('/') + 1);
        put(block, 0, 100, truncate(ascii(paxName) ? paxName : "PaxHeaders.0/entry", 100));
        octal(block, 100, 8, 0644);
        octal(block, 108, 8, 0);
        octal(block, 116, 8, 0);
        octal(block, 124, 12, data.length);
        octal(block, 136, 12, 0);
        block[156] = 'x';
        put(block, 257, 6, "ustar");
        block[263] = '0';
        block[264] = '0';
        checksum(block);
        write(block);
        write(data);
        pad(data.length);
    }

    /** Copies {@code size} bytes; for an {@code exactName}, a stream longer or shorter than that is corrupt. */
    private void copy(InputStream in, long size, String exactName) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0 && exactName != null) throw sizeMismatch(exactName, size, size - left);
            if (n < 0) throw new IOException("file shrank while archiving (" + left + " bytes missing)");
            out.write(buf, 0, n);
            left -= n;
        }
        if (exactName != null && in.read() >= 0) throw sizeMismatch(exactName, size, size);
        written += size;
        pad(size);
    }

    private static AndockException sizeMismatch(String name, long size, long received) {
        return AndockException.corrupt(name + ": size " + size + " expected, " + received + "+ received");
    }

    private void pad(long size) throws IOException {
        int rem = (int) (size % BLOCK);
        if (rem != 0) write(new byte[BLOCK - rem]);
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    /** Bytes written so far. */
    public long written() {
        return written;
    }

    /** {prefix, name} for USTAR, or null when the path needs a PAX record. */
    static String[] split(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 100) return new String[]{"", name};
        if (b.length > 256) return null;
        for (int i = name.length() - 1; i > 0; i--) {
            if (name.charAt(i) != '/') continue;
            String prefix = name.substring(0, i);
            String rest = name.substring(i + 1);
            if (prefix.getBytes(StandardCharsets.UTF_8).length <= 155 && rest.getBytes(StandardCharsets.UTF_8).length <= 100
                    && !rest.isEmpty()) {
                return new String[]{prefix, rest};
            }
        }
        return null;
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80 || s.charAt(i) == 0) return false;
        return true;
    }

    private static String truncate(String s, int bytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= bytes ? s : new String(b, 0, bytes, StandardCharsets.ISO_8859_1);
    }

    private static void put(byte[] block, int off, int len, String s) {
        byte[] b = s.getBytes(ascii(s) ? StandardCharsets.US_ASCII : StandardCharsets.ISO_8859_1);
        System.arraycopy(b, 0, block, off, Math.min(len, b.length));
    }

    private static void octal(byte[] block, int off, int len, long v) {
        String s = Long.toOctalString(v);
        StringBuilder b = new StringBuilder();
        for (int i = s.length(); i < len - 1; i++) b.append('0');
        b.append(s);
        put(block, off, len - 1, b.toString());
    }

    private static void checksum(byte[] block) {
        for (int i = 148; i < 156; i++) block[i] = ' ';
        long sum = 0;
        for (byte x : block) sum += x & 0xff;
        String s = Long.toOctalString(sum);
        StringBuilder b = new StringBuilder();
        for (int i = s.length(); i < 6; i++) b.append('0');
        b.append(s);
        put(block, 148, 6, b.toString());
        block[154] = 0;
        block[155] = ' ';
    }
}
