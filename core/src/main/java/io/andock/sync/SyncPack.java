package io.andock.sync;

import io.andock.AndockException;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What the hub sends a device for one layer, as one blob it can fetch with {@code Range} and resume:
 * <pre>
 *   "ANDOCKP1"
 *   varint recipeLength, the zstd {@link TarRecipe}
 *   varint items, then per item: varint contentIndex gap, byte kind (0 whole zstd, 1 delta, 2 whole deflate),
 *                                [32-byte base sha256, for a delta], varint length
 *   the items' bytes, in that order: a whole content zstd-compressed or raw deflate (RFC 1951), or a
 *   {@link BinaryDelta}
 * </pre>
 * Deflate for a file of usual size: a device inflates it natively from its first byte, where a fresh process's zstd
 * runs as Java bytecode until the JIT catches up (most of a sync's time), and per file it is as small (the sync
 * fixtures: 11.60 MB against zstd's 12.07 MB). Zstd for files over 16 MiB, which are compressed as a stream.
 * {@code contentIndex} counts the recipe's content references (0-based; gaps from the previous item, so the table
 * is small). Contents the table does not cover the device must hold itself (else it asks again with {@code need}).
 * Nothing in a pack is trusted: every content is checked against the recipe's sha256, the tar against the diff_id.
 */
public final class SyncPack {
    public static final byte[] MAGIC = "ANDOCKP1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Most items one pack may list (a device refuses more). */
    public static final int MAX_ITEMS = 4 << 20;
    public static final int MAX_RECIPE = 256 << 20;

    private SyncPack() {
    }

    public static final int ZSTD = 0;
    public static final int DELTA = 1;
    public static final int DEFLATE = 2;

    /** One item of the table: {@code kind} {@link #ZSTD}, {@link #DELTA} (with its {@code base}) or {@link #DEFLATE}. */
    public record Item(int contentIndex, int kind, byte[] base, long length) {
        public boolean delta() {
            return kind == DELTA;
        }
    }

    public static void writeHeader(OutputStream out, byte[] recipe, List<Item> items) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(MAGIC);
        BinaryDelta.varint(h, recipe.length);
        h.write(recipe);
        BinaryDelta.varint(h, items.size());
        int prev = -1;
        for (Item i : items) {
            BinaryDelta.varint(h, i.contentIndex() - prev - 1);
            prev = i.contentIndex();
            h.write(i.kind());
            if (i.delta()) h.write(i.base());
            BinaryDelta.varint(h, i.length());
        }
        h.writeTo(out);
    }

    /** The head of a pack: recipe bytes and the item table; {@code in} is left at the first item's bytes. */
    public record Head(byte[] recipe, List<Item> items) {
        public static Head read(InputStream raw, int contents) throws IOException {
            DataInputStream in = new DataInputStream(raw);
            try {
                byte[] m = new byte[MAGIC.length];
                in.readFully(m);
                if (!java.util.Arrays.equals(m, MAGIC)) throw AndockException.corrupt("sync pack: not a pack");
                long rl = BinaryDelta.readVarint(in);
                if (rl > MAX_RECIPE) throw AndockException.corrupt("sync pack: recipe of " + rl + " bytes");
                byte[] recipe = new byte[(int) rl];
                in.readFully(recipe);
                long n = BinaryDelta.readVarint(in);
                if (n > MAX_ITEMS) throw AndockException.corrupt("sync pack: " + n + " items");
                List<Item> items = new ArrayList<>((int) Math.min(n, 4096));
                long at = -1;
                for (long k = 0; k < n; k++) {
                    at += BinaryDelta.readVarint(in) + 1;
                    if (contents >= 0 && at >= contents) throw AndockException.corrupt("sync pack: item for content " + at + " of " + contents);
                    int kind = in.readUnsignedByte();
                    if (kind > DEFLATE) throw AndockException.corrupt("sync pack: unknown item kind " + kind);
                    byte[] base = null;
                    if (kind == DELTA) {
                        base = new byte[32];
                        in.readFully(base);
                    }
                    long len = BinaryDelta.readVarint(in);
                    items.add(new Item((int) at, kind, base, len));
                }
                return new Head(recipe, items);
            } catch (EOFException e) {
                throw AndockException.corrupt("sync pack: truncated");
            }
        }
    }
}
