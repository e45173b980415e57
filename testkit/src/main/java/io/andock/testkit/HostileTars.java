package io.andock.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small tar archives whose headers lie: each begins with one valid file ({@code hello.txt}) and then carries one
 * hostile header (negative, overflowing or non-octal sizes, lying PAX records, absurd GNU long names, sparse members,
 * bad checksums, garbage after the end marker, truncation). A tar reader must refuse every one with an error, in
 * bounded time and memory. Written byte by byte: no archiver writes these. Shared by the unit tests, the fuzz corpus,
 * and the {@code andock load} / {@code POST /images/load} tests.
 */
public final class HostileTars {
    private static final int BLOCK = 512;

    private HostileTars() {
    }

    /** A valid archive: one file and the two end blocks. */
    public static byte[] valid() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        hello(out);
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    /** Every hostile variant, by a name that says what lies. */
    public static Map<String, byte[]> all() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("negative-octal-size", withSize(ascii("-1777")));
        m.put("base256-size-overflow", withSize(base256((byte) 0x80, (byte) 0xff)));
        m.put("base256-negative-size", withSize(base256((byte) 0xff, (byte) 0xff)));
        m.put("non-octal-size", withSize(ascii("12389abc")));
        m.put("size-beyond-end", withSize(ascii("07777777777")));
        m.put("truncated-content", archive(out -> {
            out.writeBytes(header("short.txt", '0', octal(1000, 12), true));
            out.writeBytes(new byte[100]);
        }, false));
        m.put("pax-size-huge", pax("size", "99999999999999999999999"));
        m.put("pax-size-negative", pax("size", "-1"));
        m.put("pax-size-beyond-end", pax("size", "9223372036854775807"));
        m.put("pax-length-lies", paxRaw("999 path=x\n".getBytes(StandardCharsets.UTF_8)));
        m.put("pax-length-negative", paxRaw("-12 path=x\n".getBytes(StandardCharsets.UTF_8)));
        m.put("pax-mtime-exponent", pax("mtime", "1e999999999"));
        m.put("pax-header-huge", special('x', ascii("77777777777"), 0));
        m.put("pax-header-negative", special('x', ascii("-1777"), 0));
        m.put("pax-headers-many", manyPax());
        m.put("gnu-longname-huge", special('L', ascii("77777777777"), 0));
        m.put("gnu-longname-negative", special('L', ascii("-1777"), 0));
        m.put("gnu-longlink-base256-huge", special('K', base256((byte) 0x80, (byte) 0x7f), 0));
        m.put("gnu-sparse", special('S', octal(0, 12), 0));
        m.put("pax-gnu-sparse", pax("GNU.sparse.size", "1000"));
        m.put("checksum-mismatch", archive(out -> {
            byte[] h = header("bad.txt", '0', octal(0, 12), true);
            h[148] = '7';
            out.writeBytes(h);
        }, true));
        m.put("zero-block-then-garbage", archive(out -> {
            out.writeBytes(new byte[BLOCK]);
            byte[] junk = new byte[BLOCK];
            Arrays.fill(junk, (byte) 'A');
            out.writeBytes(junk);
        }, false));
        m.put("base256-mtime-overflow", archive(out -> {
            byte[] h = header("old.txt", '0', octal(0, 12), false);
            byte[] t = base256((byte) 0x80, (byte) 0xff); // Long.MAX_VALUE seconds: beyond Instant.MAX
            Arrays.fill(t, 1, 4, (byte) 0);
            t[4] = 0x7f;
            System.arraycopy(t, 0, h, 136, 12);
            checksum(h);
            out.writeBytes(h);
        }, true));
        return m;
    }

    private interface Body {
        void write(ByteArrayOutputStream out);
    }

    private static byte[] archive(Body body, boolean endBlocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        hello(out);
        body.write(out);
        if (endBlocks) out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    /** A file whose 12-byte size field is {@code size}, followed by one block of data and the end blocks. */
    private static byte[] withSize(byte[] size) {
        return archive(out -> {
            out.writeBytes(header("liar.txt", '0', size, true));
            out.writeBytes(new byte[BLOCK]);
        }, true);
    }

    /** A header of {@code type} ('x', 'L', 'K', 'S') with the given size field and {@code data} bytes after it. */
    private static byte[] special(char type, byte[] size, int data) {
        return archive(out -> {
            out.writeBytes(header(type == 'L' || type == 'K' ? "././@LongLink" : "special", type, size, true));
            out.writeBytes(new byte[data + BLOCK]);
        }, true);
    }

    private static byte[] pax(String key, String value) {
        byte[] kv = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
        int len = kv.length;
        while (String.valueOf(len).length() + kv.length != len) len = String.valueOf(len).length() + kv.length;
        return paxRaw((len + new String(kv, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] paxRaw(byte[] records) {
        return archive(out -> {
            out.writeBytes(header("PaxHeaders/f", 'x', octal(records.length, 12), true));
            padded(out, records);
            out.writeBytes(header("f.txt", '0', octal(0, 12), true));
        }, true);
    }

    /** Three PAX headers of 512 KiB each before one entry: together past the 1 MiB bound for an entry's metadata. */
    private static byte[] manyPax() {
        return archive(out -> {
            for (int i = 0; i < 3; i++) {
                byte[] value = new byte[512 * 1024 - 40];
                Arrays.fill(value, (byte) 'v');
                String rec = " comment" + i + "=" + new String(value, StandardCharsets.US_ASCII) + "\n";
                int len = rec.length() + 6; // six digits
                byte[] records = (len + rec).getBytes(StandardCharsets.US_ASCII);
                out.writeBytes(header("PaxHeaders/f", 'x', octal(records.length, 12), true));
                padded(out, records);
            }
            out.writeBytes(header("f.txt", '0', octal(0, 12), true));
        }, true);
    }

    private static void hello(ByteArrayOutputStream out) {
        byte[] content = "hello\n".getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(header("hello.txt", '0', octal(content.length, 12), true));
        padded(out, content);
    }

    private static byte[] header(String name, char type, byte[] size, boolean sum) {
        byte[] h = new byte[BLOCK];
        put(h, 0, name.getBytes(StandardCharsets.UTF_8));
        put(h, 100, octal(0644, 8));
        put(h, 108, octal(0, 8));
        put(h, 116, octal(0, 8));
        System.arraycopy(size, 0, h, 124, Math.min(size.length, 12));
        put(h, 136, octal(1_704_067_200L, 12));
        h[156] = (byte) type;
        put(h, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, "00".getBytes(StandardCharsets.US_ASCII));
        if (sum) checksum(h);
        return h;
    }

    private static void checksum(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, octal(sum, 7));
        h[155] = ' ';
    }

    private static void padded(ByteArrayOutputStream out, byte[] data) {
        out.writeBytes(data);
        out.writeBytes(new byte[(BLOCK - data.length % BLOCK) % BLOCK]);
    }

    private static void put(byte[] h, int off, byte[] v) {
        System.arraycopy(v, 0, h, off, v.length);
    }

    /** {@code width - 1} octal digits and a NUL. */
    private static byte[] octal(long v, int width) {
        String s = Long.toOctalString(v);
        s = "0".repeat(Math.max(0, width - 1 - s.length())) + s;
        byte[] b = new byte[width];
        put(b, 0, s.getBytes(StandardCharsets.US_ASCII));
        return b;
    }

    private static byte[] ascii(String s) {
        byte[] b = new byte[12];
        put(b, 0, s.getBytes(StandardCharsets.US_ASCII));
        return b;
    }

    /** A 12-byte GNU base-256 field: {@code first}, then eleven {@code rest} bytes. */
    private static byte[] base256(byte first, byte rest) {
        byte[] b = new byte[12];
        Arrays.fill(b, rest);
        b[0] = first;
        return b;
    }
}
