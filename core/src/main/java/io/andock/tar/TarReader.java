package io.andock.tar;

import io.andock.AndockException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming tar reader: ustar, GNU ({@code L}/{@code K} long names, base-256 numbers) and PAX ({@code x} and
 * {@code g} headers). Content is read through {@link #content()} and never buffered; what the caller does not read is
 * skipped by {@link #next()}. Header checksums are checked; sparse files, multi-volume members and unknown entry
 * types are refused with {@link AndockException.Kind#CORRUPT} naming the entry.
 *
 * <p>Every number taken from the archive is range-checked here, once, so that no caller loops or allocates on a
 * hostile header: sizes are never negative and never overflow (octal or base-256), PAX and GNU long-name data is
 * held in memory only up to {@link #MAX_META} bytes per entry (Go's archive/tar bound), PAX record lengths must match
 * the record, and a stream that ends inside an entry is an error, not an end. When the archive's length is known
 * (a file), a size beyond the bytes left is refused before anything is skipped.
 *
 * <p>The archive ends at two zero blocks (or at EOF right after one, at EOF between entries, or at EOF in the padding
 * after an entry's data, as Go reads it); a
 * zero block followed by anything else is refused. After the end nothing more is read; the caller drains the input
 * if it needs all of it (a diff_id covers the whole stream). Not thread-safe.
 */
public final class TarReader {
    static final int BLOCK = 512;
    /** Most bytes of PAX headers and GNU long names for one entry (and of global PAX headers in all); held in memory. */
    public static final int MAX_META = 1 << 20;

    private final InputStream in;
    private final long length;
    private long offset;
    private long dataOffset;
    private long globalMetaBytes;
    private final byte[] header = new byte[BLOCK];
    private final Map<String, byte[]> globalPax = new HashMap<>();
    private long remaining;
    private long padding;
    private boolean ended;
    private String current = "";

    public TarReader(InputStream in) {
        this(in, -1);
    }

    /**
     * A reader over an archive of known {@code length} (a file; {@code -1} if unknown): sizes beyond the bytes left are
     * refused at once, and what is not read is skipped with {@link InputStream#skip} (a seek on a file).
     */
    public TarReader(InputStream in, long length) {
        this.in = in;
        this.length = length;
    }

    /** Offset in the archive of the content of the entry last returned by {@link #next()}. */
    public long dataOffset() {
        return dataOffset;
    }

    /** The next entry, or {@code null} at the end of the archive. */
    public TarEntry next() throws IOException {
        if (ended) return null;
        skipRest();
        if (ended) return null;
        Map<String, byte[]> pax = new LinkedHashMap<>(globalPax);
        byte[] longName = null;
        byte[] longLink = null;
        long metaBytes = 0;
        while (true) {
            if (!readBlock(true)) {
                ended = true;
                return null;
            }
            if (isZero(header)) {
                ended = true;
                endOfArchive();
                return null;
            }
            current = cString(0, 100);
            verifyChecksum();
            byte flag = header[156];
            long size = number(124, 12, "size");
            if (flag == 'x' || flag == 'g' || flag == 'L' || flag == 'K') {
                metaBytes += size;
                if (flag == 'g') globalMetaBytes += size;
                if (metaBytes > MAX_META || globalMetaBytes > MAX_META) {
                    throw corrupt("extended headers of more than " + MAX_META + " bytes (this one: " + size + ")");
                }
            }
            switch (flag) {
                case 'x' -> parsePax(readMeta(size), pax);
                case 'g' -> {
                    Map<String, byte[]> g = new LinkedHashMap<>();
                    parsePax(readMeta(size), g);
                    globalPax.putAll(g);
                    pax.putAll(g);
                }
                case 'L' -> longName = trimNul(readMeta(size));
                case 'K' -> longLink = trimNul(readMeta(size));
                default -> {
                    return entry(flag, size, pax, longName, longLink);
                }
            }
        }
    }

    /** The content of the entry last returned by {@link #next()}; reading past its size gives EOF. */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) return -1;
                if (len == 0) return 0;
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n <= 0) throw truncated(); // 0 for a non-empty request: a broken stream, not progress
                remaining -= n;
                offset += n;
                return n;
            }
        };
    }

    private TarEntry entry(byte flag, long size, Map<String, byte[]> pax, byte[] longName, byte[] longLink)
            throws IOException {
        String name;
        if (pax.containsKey("path")) name = utf8(pax.get("path"));
        else if (longName != null) name = utf8(longName);
        else if (isUstar()) {
            String prefix = cString(345, 155);
            name = prefix.isEmpty() ? cString(0, 100) : prefix + "/" + cString(0, 100);
        } else name = cString(0, 100);
        current = name;
        String link = pax.containsKey("linkpath") ? utf8(pax.get("linkpath"))
                : longLink != null ? utf8(longLink) : cString(157, 100);
        if (pax.containsKey("size")) size = paxLong(pax, "size");
        if (size < 0) throw corrupt("negative size");
        TarEntry.Type type = switch (flag) {
            case '0', 0, '7' -> name.endsWith("/") ? TarEntry.Type.DIRECTORY : TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5', 'D' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            case 'S' -> throw corrupt("sparse files are not supported");
            case 'M' -> throw corrupt("multi-volume archives are not supported");
            default -> throw corrupt("unsupported entry type '" + printable(flag) + "'");
        };
        for (String k : pax.keySet()) {
            if (k.startsWith("GNU.sparse.")) throw corrupt("sparse files are not supported (PAX " + k + ")");
        }
        while (name.length() > 1 && name.endsWith("/")) name = name.substring(0, name.length() - 1);
        // only files (and GNU 'D' dump lists) have data; like Go's archive/tar, other types' size is ignored
        remaining = type == TarEntry.Type.FILE || flag == 'D' ? size : 0;
        checkFits(remaining);
        dataOffset = offset;
        padding = (BLOCK - remaining % BLOCK) % BLOCK;
        if (type != TarEntry.Type.FILE) size = 0;

        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        for (var e : pax.entrySet()) {
            if (e.getKey().startsWith("SCHILY.xattr.")) xattrs.put(e.getKey().substring(13), e.getValue());
        }
        return new TarEntry(name, type, link, (int) (number(100, 8, "mode") & 07777),
                pax.containsKey("uid") ? paxLong(pax, "uid") : number(108, 8, "uid"),
                pax.containsKey("gid") ? paxLong(pax, "gid") : number(116, 8, "gid"),
                pax.containsKey("uname") ? utf8(pax.get("uname")) : cString(265, 32),
                pax.containsKey("gname") ? utf8(pax.get("gname")) : cString(297, 32),
                size, mtime(pax), (int) devNumber(329), (int) devNumber(337), xattrs);
    }

    private long devNumber(int off) {
        if (!isUstar() && !isGnu()) return 0;
        return number(off, 8, "device number");
    }

    private Instant mtime(Map<String, byte[]> pax) {
        if (pax.containsKey("mtime")) {
            String v = utf8(pax.get("mtime"));
            // digits and one point only: an exponent ("1e999999999") would make BigDecimal build a huge number
            if (v.length() > 40 || !v.matches("-?[0-9]+(\\.[0-9]*)?")) throw corrupt("invalid PAX mtime " + TarNames.quote(v));
            try {
                BigDecimal d = new BigDecimal(v);
                long secs = d.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
                long nanos = d.subtract(BigDecimal.valueOf(secs)).movePointRight(9).longValue();
                return Instant.ofEpochSecond(secs, nanos);
            } catch (ArithmeticException | NumberFormatException | java.time.DateTimeException e) {
                throw corrupt("invalid PAX mtime " + TarNames.quote(v));
            }
        }
        long secs = number(136, 12, "mtime");
        if (secs > Instant.MAX.getEpochSecond()) throw corrupt("mtime " + secs + " out of range");
        return Instant.ofEpochSecond(secs);
    }

    private long paxLong(Map<String, byte[]> pax, String key) {
        String v = utf8(pax.get(key));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw corrupt("invalid PAX " + key + " " + TarNames.quote(v));
        }
    }

    /** PAX records: {@code "<len> <key>=<value>\n"}, len counting the whole record in bytes. */
    private void parsePax(byte[] data, Map<String, byte[]> into) {
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == 0) break; // some writers pad with NULs
            int sp = pos;
            long len = 0;
            while (sp < data.length && data[sp] >= '0' && data[sp] <= '9' && sp - pos < 10) len = len * 10 + data[sp++] - '0';
            if (sp >= data.length || data[sp] != ' ' || len <= sp - pos + 1 || pos + len > data.length
                    || data[(int) (pos + len - 1)] != '\n') {
                throw corrupt("malformed PAX record at offset " + pos);
            }
            int end = (int) (pos + len - 1);
            int eq = sp + 1;
            while (eq < end && data[eq] != '=') eq++;
            if (eq >= end) throw corrupt("malformed PAX record at offset " + pos);
            String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end);
            if (value.length == 0 && !key.startsWith("SCHILY.xattr.")) into.remove(key); // empty value: unset
            else into.put(key, value);
            pos = end + 1;
        }
    }

    private byte[] readMeta(long size) throws IOException {
        if (size < 0 || size > MAX_META) throw corrupt("extended header of " + size + " bytes is too large");
        checkFits(size);
        byte[] data = in.readNBytes((int) size); // grows with what arrives: a lying size allocates nothing more
        offset += data.length;
        if (data.length < size) throw truncated();
        long pad = (BLOCK - size % BLOCK) % BLOCK;
        skip(pad);
        return data;
    }

    private void skipRest() throws IOException {
        skip(remaining); // apart: their sum may overflow
        remaining = 0;
        // EOF within the last entry's padding ends the archive, as Go reads it: the docker CLI sends a build context
        // so when -f names a Dockerfile outside it (the files it adds last are neither padded nor followed by the
        // end-of-archive blocks). The entry's data itself must be whole.
        if (!skipUnlessEof(padding)) ended = true;
        padding = 0;
    }

    /** Skips up to {@code n} bytes; false when the stream ends first. */
    private boolean skipUnlessEof(long n) throws IOException {
        while (n > 0) {
            int r = in.read(skipBuffer, 0, (int) Math.min(n, skipBuffer.length));
            if (r <= 0) return false;
            n -= r;
            offset += r;
        }
        return true;
    }

    private final byte[] skipBuffer = new byte[64 * 1024];

    /** Skips {@code n} bytes; every turn advances or fails (a stream that skips and reads nothing is truncated). */
    private void skip(long n) throws IOException {
        while (n > 0) {
            long r = length >= 0 ? in.skip(n) : 0; // only a stream of known length is trusted to skip (FileInputStream seeks past EOF)
            if (r <= 0) {
                r = in.read(skipBuffer, 0, (int) Math.min(n, skipBuffer.length));
                if (r <= 0) throw truncated();
            }
            n -= r;
            offset += r;
        }
    }

    /** A size read from a header must fit in what is left of an archive of known length. */
    private void checkFits(long size) {
        long padded = size + (BLOCK - size % BLOCK) % BLOCK;
        if (length >= 0 && (padded < 0 || padded > length - offset)) {
            throw corrupt("size " + size + " exceeds the " + Math.max(0, length - offset) + " bytes left in the archive");
        }
    }

    /** After a zero block: EOF or a second zero block ends the archive; anything else is not a tar. */
    private void endOfArchive() throws IOException {
        current = "";
        if (!readBlock(true)) return;
        if (!isZero(header)) throw corrupt("data after an end-of-archive block");
    }

    private boolean readBlock(boolean eofAllowed) throws IOException {
        int n = in.readNBytes(header, 0, BLOCK);
        offset += n;
        if (n == 0 && eofAllowed) return false;
        if (n < BLOCK) throw truncated();
        return true;
    }

    private void verifyChecksum() {
        long stored = number(148, 8, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw corrupt("header checksum mismatch (stored " + stored + ", computed " + unsigned + ")");
        }
    }

    /** An octal field (NUL/space padded) or a GNU base-256 number (first byte bit 7 set). */
    private long number(int off, int len, String what) {
        if ((header[off] & 0x80) != 0) {
            if ((header[off] & 0x40) != 0) throw corrupt("negative " + what);
            long v = header[off] & 0x3f;
            for (int i = 1; i < len; i++) {
                if ((v >>> 55) != 0) throw corrupt(what + " too large");
                v = (v << 8) | (header[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) i++;
        boolean digits = false;
        for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
            if (header[i] < '0' || header[i] > '7') throw corrupt("invalid " + what + " field");
            if ((v >>> 60) != 0) throw corrupt(what + " too large");
            v = (v << 3) + header[i] - '0';
            digits = true;
        }
        return digits ? v : 0;
    }

    private boolean isUstar() {
        return header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == 0;
    }

    private boolean isGnu() {
        return header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == ' ';
    }

    private String cString(int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) end++;
        return new String(header, off, end - off, StandardCharsets.UTF_8);
    }

    private static byte[] trimNul(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) n--;
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static String printable(byte b) {
        return b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }

    private AndockException truncated() {
        return corrupt("archive is truncated");
    }

    private AndockException corrupt(String why) {
        return AndockException.corrupt("tar entry " + TarNames.quote(current) + ": " + why);
    }
}
