package io.andock.sync;

import io.andock.AndockException;
import io.andock.image.Digest;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HexFormat;

/**
 * How to rebuild a layer's uncompressed tar byte for byte: a sequence of literal bytes (headers, PAX records,
 * padding, the end-of-archive blocks) and references to file contents by size and sha256, in archive order. It
 * names no paths of its own: the paths are inside the literal headers, and the rebuilt tar is trusted only once its
 * sha256 equals the diff_id the image config names, before any applier sees it.
 *
 * <p>Wire form (then zstd): {@code "ANDOCKR1"}, then ops: {@code 1, int len, bytes} a literal; {@code 2, long
 * size, 32 bytes sha256} a content; {@code 0} the end. Reading is bounded: a literal at most {@link #MAX_LITERAL}
 * bytes, at most {@link #MAX_OPS} ops, every size non-negative and their sum at most {@link #MAX_TAR}.
 */
public final class TarRecipe {
    static final byte[] MAGIC = "ANDOCKR1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    public static final int MAX_LITERAL = 16 << 20;
    public static final int MAX_OPS = 8 << 20;
    public static final long MAX_TAR = 1L << 40;
    /** Most bytes of a recipe, decompressed (a device holds it in memory while it rebuilds). */
    public static final int MAX_RAW = 256 << 20;

    private TarRecipe() {
    }

    /** One step of the rebuild. */
    public sealed interface Op permits Literal, Content {}

    public record Literal(byte[] bytes) implements Op {}

    /** A file's data: {@code size} bytes whose sha256 is {@code sha} (32 bytes). */
    public record Content(long size, byte[] sha) implements Op {
        public String hex() {
            return HexFormat.of().formatHex(sha);
        }

        public Digest digest() {
            return new Digest("sha256", hex());
        }
    }

    /** Writes the recipe ops one by one. */
    public static final class Writer {
        private final DataOutputStream out;

        public Writer(OutputStream out) throws IOException {
            this.out = new DataOutputStream(out);
            this.out.write(MAGIC);
        }

        public void literal(byte[] b, int off, int len) throws IOException {
            if (len == 0) return;
            out.writeByte(1);
            out.writeInt(len);
            out.write(b, off, len);
        }

        public void content(long size, byte[] sha) throws IOException {
            out.writeByte(2);
            out.writeLong(size);
            out.write(sha);
        }

        public void end() throws IOException {
            out.writeByte(0);
            out.flush();
        }
    }

    /** Reads ops with the bounds above; a recipe that breaks one is CORRUPT. */
    public static final class Reader {
        private final DataInputStream in;
        private long ops;
        private long total;
        private boolean ended;

        public Reader(InputStream in) throws IOException {
            this.in = new DataInputStream(in);
            byte[] m = new byte[MAGIC.length];
            try {
                this.in.readFully(m);
            } catch (EOFException e) {
                throw AndockException.corrupt("recipe: truncated");
            }
            if (!java.util.Arrays.equals(m, MAGIC)) throw AndockException.corrupt("recipe: not an andock tar recipe");
        }

        /** The next op, or null at the end. */
        public Op next() throws IOException {
            if (ended) return null;
            try {
                if (++ops > MAX_OPS) throw AndockException.corrupt("recipe: more than " + MAX_OPS + " steps");
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 0 -> {
                        ended = true;
                        return null;
                    }
                    case 1 -> {
                        int len = in.readInt();
                        if (len <= 0 || len > MAX_LITERAL) throw AndockException.corrupt("recipe: literal of " + len + " bytes");
                        count(len);
                        byte[] b = new byte[len];
                        in.readFully(b);
                        return new Literal(b);
                    }
                    case 2 -> {
                        long size = in.readLong();
                        if (size < 0) throw AndockException.corrupt("recipe: negative content size");
                        count(size);
                        byte[] sha = new byte[32];
                        in.readFully(sha);
                        return new Content(size, sha);
                    }
                    default -> throw AndockException.corrupt("recipe: unknown step " + tag);
                }
            } catch (EOFException e) {
                throw AndockException.corrupt("recipe: truncated");
            }
        }

        private void count(long n) {
            total += n;
            if (total > MAX_TAR) throw AndockException.corrupt("recipe: rebuilds more than " + MAX_TAR + " bytes");
        }
    }
}
