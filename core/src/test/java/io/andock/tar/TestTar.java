package io.andock.tar;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny tar writer for tests: ustar headers written byte by byte, PAX records where asked for (or where a name does
 * not fit), and hooks to write what no archiver writes (bad checksums, escapes, raw header bytes).
 */
public final class TestTar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** One entry to write; fields are public for brevity. */
    public static final class E {
        public char type = '0';
        public String name;
        public String link = "";
        public int mode = 0644;
        public long uid;
        public long gid;
        public long mtime = 1_704_067_200L; // 2024-01-01
        public byte[] content = new byte[0];
        public int major;
        public int minor;
        public Map<String, byte[]> pax = new LinkedHashMap<>();
        public boolean corruptChecksum;

        public E mode(int m) { mode = m; return this; }
        public E owner(long u, long g) { uid = u; gid = g; return this; }
        public E mtime(long t) { mtime = t; return this; }
        public E pax(String k, String v) { pax.put(k, v.getBytes(StandardCharsets.UTF_8)); return this; }
        public E paxRaw(String k, byte[] v) { pax.put(k, v); return this; }
        public E badChecksum() { corruptChecksum = true; return this; }
    }

    public static E file(String name, String content) {
        E e = new E();
        e.name = name;
        e.content = content.getBytes(StandardCharsets.UTF_8);
        return e;
    }

    public static E dir(String name) {
        E e = new E();
        e.type = '5';
        e.name = name;
        e.mode = 0755;
        return e;
    }

    public static E symlink(String name, String target) {
        E e = new E();
        e.type = '2';
        e.name = name;
        e.link = target;
        e.mode = 0777;
        return e;
    }

    public static E hardlink(String name, String target) {
        E e = new E();
        e.type = '1';
        e.name = name;
        e.link = target;
        return e;
    }

    public static E special(char type, String name, int major, int minor) {
        E e = new E();
        e.type = type;
        e.name = name;
        e.major = major;
        e.minor = minor;
        return e;
    }

    public static E whiteout(String name) {
        return file(name, "");
    }

    public static byte[] of(E... entries) {
        TestTar t = new TestTar();
        for (E e : entries) t.add(e);
        return t.finish();
    }

    public TestTar add(E e) {
        Map<String, byte[]> pax = new LinkedHashMap<>(e.pax);
        byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
        byte[] link = e.link.getBytes(StandardCharsets.UTF_8);
        if (name.length > 100 && !pax.containsKey("path")) pax.put("path", name);
        if (link.length > 100 && !pax.containsKey("linkpath")) pax.put("linkpath", link);
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            out.writeBytes(header('x', "PaxHeaders/x", "", 0644, 0, 0, 0, records.length, 0, 0, false));
            writePadded(records);
        }
        out.writeBytes(header(e.type, e.name, e.link, e.mode, e.uid, e.gid, e.mtime, e.content.length, e.major, e.minor,
                e.corruptChecksum));
        writePadded(e.content);
        return this;
    }

    /** The archive with its two zero blocks. */
    public byte[] finish() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    /** Header + {@code size} zero bytes generated lazily + end blocks: a decompression bomb that needs no memory. */
    public static InputStream zeros(String name, long size) {
        byte[] h = header('0', name, "", 0644, 0, 0, 0, size, 0, 0, false);
        InputStream zeros = new InputStream() {
            long left = size + (512 - size % 512) % 512 + 1024;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(h), zeros);
    }

    private void writePadded(byte[] data) {
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    public static byte[] paxRecords(Map<String, byte[]> pax) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (var r : pax.entrySet()) {
            byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
            int body = 1 + key.length + 1 + r.getValue().length + 1;
            int len = body + String.valueOf(body).length();
            if (String.valueOf(len).length() != String.valueOf(body).length()) len++;
            b.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(key);
            b.write('=');
            b.writeBytes(r.getValue());
            b.write('\n');
        }
        return b.toByteArray();
    }

    public static byte[] header(char type, String name, String link, int mode, long uid, long gid, long mtime, long size,
                         int major, int minor, boolean badChecksum) {
        byte[] h = new byte[512];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        checksum(h, badChecksum);
        return h;
    }

    public static void checksum(byte[] h, boolean bad) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        if (bad) sum += 1;
        byte[] c = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(c, 0, h, 148, 8);
    }

    private static void put(byte[] h, int off, int len, byte[] v) {
        System.arraycopy(v, 0, h, off, Math.min(len, v.length));
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        if (s.length() > len - 1) throw new IllegalArgumentException("too large for octal: " + v);
        String padded = "0".repeat(len - 1 - s.length()) + s;
        put(h, off, len - 1, padded.getBytes(StandardCharsets.US_ASCII));
    }

    public static List<String> list(String... s) {
        return List.of(s);
    }
}
