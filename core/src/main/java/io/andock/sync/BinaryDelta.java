package io.andock.sync;

import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;
import io.andock.AndockException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A binary delta from an old version of a file to a new one, in the manner of bsdiff (Colin Percival's idea):
 * the new file is cut into regions that follow a region of the old one, sent as byte-wise differences (mostly zeros
 * in a recompiled binary, where only addresses moved), and extra bytes that follow nothing; then zstd. Matches are
 * found through a hash of 8-byte windows of the old file (chains capped, so runs of equal bytes cost no more), not a
 * suffix array: about as good on shared libraries, and linear.
 *
 * <p>Form, inside one zstd frame: {@code varint newSize, varint controls}, the controls as triples of varints
 * {@code (diffLen, extraLen, zigzag oldSeek)}, then all diff bytes, then all extra bytes. {@link #apply} checks
 * every length against the old and new sizes (a hostile delta fails with CORRUPT); the caller checks the result's
 * sha256.
 */
public final class BinaryDelta {
    private static final int W = 8;
    private static final int CHAIN = 16;

    private BinaryDelta() {
    }

    public static byte[] diff(byte[] old, byte[] neu) {
        Matcher m = new Matcher(old);
        ByteArrayOutputStream ctrl = new ByteArrayOutputStream();
        ByteArrayOutputStream diff = new ByteArrayOutputStream(neu.length);
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        int controls = 0;
        int n = neu.length, o = old.length;
        int scan = 0, len = 0, pos = 0, lastScan = 0, lastPos = 0, lastOffset = 0;
        while (scan < n) {
            int oldScore = 0;
            int scsc = scan += len;
            for (; scan < n; scan++) {
                long found = m.longest(neu, scan);
                pos = (int) (found >>> 32);
                len = (int) found;
                for (; scsc < scan + len; scsc++) {
                    if (scsc + lastOffset >= 0 && scsc + lastOffset < o && old[scsc + lastOffset] == neu[scsc]) oldScore++;
                }
                if ((len == oldScore && len != 0) || len > oldScore + 8) break;
                if (scan + lastOffset >= 0 && scan + lastOffset < o && old[scan + lastOffset] == neu[scan]) oldScore--;
            }
            if (len != oldScore || scan == n) {
                int s = 0, best = 0, lenF = 0;
                for (int i = 0; lastScan + i < scan && lastPos + i < o; ) {
                    if (old[lastPos + i] == neu[lastScan + i]) s++;
                    i++;
                    if (s * 2 - i > best * 2 - lenF) {
                        best = s;
                        lenF = i;
                    }
                }
                int lenB = 0;
                if (scan < n) {
                    s = 0;
                    best = 0;
                    for (int i = 1; scan >= lastScan + i && pos >= i; i++) {
                        if (old[pos - i] == neu[scan - i]) s++;
                        if (s * 2 - i > best * 2 - lenB) {
                            best = s;
                            lenB = i;
                        }
                    }
                }
                if (lastScan + lenF > scan - lenB) {
                    int overlap = (lastScan + lenF) - (scan - lenB);
                    s = 0;
                    int bestS = 0, lenS = 0;
                    for (int i = 0; i < overlap; i++) {
                        if (neu[lastScan + lenF - overlap + i] == old[lastPos + lenF - overlap + i]) s++;
                        if (neu[scan - lenB + i] == old[pos - lenB + i]) s--;
                        if (s > bestS) {
                            bestS = s;
                            lenS = i + 1;
                        }
                    }
                    lenF += lenS - overlap;
                    lenB -= lenS;
                }
                for (int i = 0; i < lenF; i++) diff.write(neu[lastScan + i] - old[lastPos + i]);
                int extraLen = (scan - lenB) - (lastScan + lenF);
                extra.write(neu, lastScan + lenF, extraLen);
                varint(ctrl, lenF);
                varint(ctrl, extraLen);
                varint(ctrl, zigzag((pos - lenB) - (lastPos + lenF)));
                controls++;
                lastScan = scan - lenB;
                lastPos = pos - lenB;
                lastOffset = pos - scan;
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(ctrl.size() + extra.size() + diff.size() / 8 + 64);
            try (ZstdOutputStream z = new ZstdOutputStream(out)) {
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                varint(head, n);
                varint(head, controls);
                head.writeTo(z);
                ctrl.writeTo(z);
                diff.writeTo(z);
                extra.writeTo(z);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The new file from {@code old} and a delta; at most {@code maxSize} bytes, every length checked. */
    public static byte[] apply(byte[] old, byte[] delta, long maxSize) {
        try (DataInputStream in = new DataInputStream(new ZstdInputStream(new ByteArrayInputStream(delta)))) {
            long size = readVarint(in);
            long controls = readVarint(in);
            if (size > maxSize || size > Integer.MAX_VALUE - 16) throw AndockException.corrupt("delta: makes " + size + " bytes, more than " + maxSize);
            if (controls > size + 1) throw AndockException.corrupt("delta: " + controls + " steps for " + size + " bytes");
            long[] c = new long[(int) controls * 3];
            for (int i = 0; i < c.length; i++) c[i] = readVarint(in);
            byte[] out = new byte[(int) size];
            int at = 0;
            long oldPos = 0;
            long diffTotal = 0;
            for (int k = 0; k < controls; k++) {
                long d = c[3 * k], e = c[3 * k + 1];
                if (d > size - at || oldPos < 0 || oldPos + d > old.length) throw AndockException.corrupt("delta: a step leaves the files");
                diffTotal += d;
                at += (int) d;
                if (e > size - at) throw AndockException.corrupt("delta: a step leaves the new file");
                at += (int) e;
                oldPos += d + unzigzag(c[3 * k + 2]);
            }
            if (at != size) throw AndockException.corrupt("delta: steps cover " + at + " of " + size + " bytes");
            byte[] diff = new byte[(int) diffTotal];
            in.readFully(diff);
            at = 0;
            oldPos = 0;
            int di = 0;
            for (int k = 0; k < controls; k++) {
                int d = (int) c[3 * k], e = (int) c[3 * k + 1];
                for (int i = 0; i < d; i++) out[at + i] = (byte) (diff[di + i] + old[(int) oldPos + i]);
                di += d;
                at += d;
                in.readFully(out, at, e);
                at += e;
                oldPos += d + unzigzag(c[3 * k + 2]);
            }
            if (in.read() >= 0) throw AndockException.corrupt("delta: bytes after its end");
            return out;
        } catch (EOFException e) {
            throw AndockException.corrupt("delta: truncated");
        } catch (IOException | RuntimeException e) {
            if (e instanceof AndockException a) throw a;
            throw AndockException.corrupt("delta: unreadable: " + e.getMessage());
        }
    }

    /** Finds, for a position of the new file, a long exact match in the old one (position << 32 | length). */
    private static final class Matcher {
        private final byte[] old;
        private final int[] head;
        private final int[] next;
        private final int mask;

        Matcher(byte[] old) {
            this.old = old;
            int bits = Math.max(10, Math.min(24, 32 - Integer.numberOfLeadingZeros(Math.max(1, old.length))));
            head = new int[1 << bits];
            mask = head.length - 1;
            java.util.Arrays.fill(head, -1);
            next = new int[Math.max(0, old.length - W + 1)];
            for (int i = 0; i + W <= old.length; i++) {
                int h = hash(old, i);
                next[i] = head[h];
                head[h] = i;
            }
        }

        private int hash(byte[] b, int i) {
            long v = 0;
            for (int k = 0; k < W; k++) v = (v << 8) | (b[i + k] & 0xff);
            return (int) ((v * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        }

        long longest(byte[] neu, int at) {
            if (at + W > neu.length) return 0;
            int bestLen = 0, bestPos = 0;
            int tries = 0;
            for (int p = head[hash(neu, at)]; p >= 0 && tries < CHAIN; p = next[p], tries++) {
                int l = 0;
                int max = Math.min(old.length - p, neu.length - at);
                while (l < max && old[p + l] == neu[at + l]) l++;
                if (l > bestLen) {
                    bestLen = l;
                    bestPos = p;
                }
            }
            if (bestLen < W) return 0;
            return ((long) bestPos << 32) | bestLen;
        }
    }

    static void varint(ByteArrayOutputStream o, long v) {
        while ((v & ~0x7FL) != 0) {
            o.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        o.write((int) v);
    }

    static long readVarint(InputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) throw new EOFException();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) throw AndockException.corrupt("delta: number out of range");
                return v;
            }
        }
        throw AndockException.corrupt("delta: number too long");
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
