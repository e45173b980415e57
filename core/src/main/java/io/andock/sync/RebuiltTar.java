package io.andock.sync;

import io.airlift.compress.zstd.ZstdDecompressor;
import io.airlift.compress.zstd.ZstdInputStream;
import io.andock.AndockException;
import io.andock.image.Digest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.zip.Inflater;

/**
 * A layer tar rebuilt as it is read, in one pass with no copy on disk: the recipe's literals, and each content from
 * the pack (zstd, or a delta against a held file), a held file, or an earlier occurrence of the same content. A
 * content held in memory (pack items, deltas) is checked against its sha256 before any of its bytes are given out; a
 * streamed one (held files, large items) as it passes, a mismatch failing the read at its end. At the end the whole
 * is checked against the diff_id: a mismatch fails the read instead of reaching EOF. So the reader (the snapshotter,
 * which applies into a staging directory it deletes on any failure) sees EOF only after a tar whose sha256 is the
 * diff_id. Then {@link #files()} tells the files whose contents were checked. Closing closes the pack and deletes the scratch file.
 */
final class RebuiltTar extends InputStream {
    /** Largest content held in memory (the hub makes deltas of files up to 16 MiB only). */
    static final int MAX_IN_MEMORY = 64 << 20;

    /** The recipe, decompressed. */
    private final byte[] recipe;
    private final TarRecipe.Reader ops;
    private final Map<Integer, SyncPack.Item> items;
    /** The pack's items, read in order as the recipe reaches them. */
    private final InputStream pack;
    private final HeldFiles held;
    /** Contents the recipe names more than once: the first occurrence is kept in {@code scratch} for the others. */
    private final Set<String> repeated;
    private final Path scratchFile;
    private FileChannel scratch;
    private final Map<String, Long> scratchAt = new HashMap<>();
    private final Digest diffId;
    private final MessageDigest all = Digest.sha256Digester();
    private final MessageDigest contentDigest = Digest.sha256Digester();
    private final Map<Long, TarRecipe.Content> byOffset = new HashMap<>();

    // what is being given out: a literal or checked content in memory, or a streamed content being checked
    private byte[] chunk;
    private int chunkPos;
    private InputStream streamed;
    private TarRecipe.Content streamedContent;
    private String streamedWhat;
    private long streamedLeft;
    private boolean keepStreamed;
    private long at;
    private int k;
    private boolean ended;
    /** The first failure, thrown again by every later read: a reader that goes on never gets EOF. */
    private Exception failure;
    private RebuiltFiles files;
    private Inflater inflater;

    RebuiltTar(byte[] recipe, Map<Integer, SyncPack.Item> items, InputStream pack, HeldFiles held,
               Set<String> repeated, Path scratchFile, Digest diffId) throws IOException {
        this.recipe = recipe;
        this.items = items;
        this.pack = pack;
        this.held = held;
        this.repeated = repeated;
        this.scratchFile = scratchFile;
        this.diffId = diffId;
        this.ops = new TarRecipe.Reader(new ByteArrayInputStream(recipe));
    }

    /** The regular files of the tar with the content checked at each, once it was read to its end; else null. */
    RebuiltFiles files() {
        return files;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure instanceof IOException io) throw io;
        if (failure != null) throw (RuntimeException) failure;
        try {
            return fill(b, off, len);
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    private int fill(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (true) {
            if (chunk != null) {
                int n = Math.min(len, chunk.length - chunkPos);
                System.arraycopy(chunk, chunkPos, b, off, n);
                all.update(b, off, n);
                chunkPos += n;
                if (chunkPos == chunk.length) chunk = null;
                return n;
            }
            if (streamed != null) {
                if (streamedLeft > 0) {
                    int n = streamed.read(b, off, (int) Math.min(len, streamedLeft));
                    if (n > 0) {
                        contentDigest.update(b, off, n);
                        all.update(b, off, n);
                        if (keepStreamed) scratch.write(java.nio.ByteBuffer.wrap(b, off, n));
                        streamedLeft -= n;
                        return n;
                    }
                }
                endStreamed();
                continue;
            }
            if (ended || !next()) return -1;
        }
    }

    /** Sets up the next op; false at the end of the recipe, after the diff_id check. */
    private boolean next() throws IOException {
        TarRecipe.Op op = ops.next();
        if (op == null) {
            finish();
            return false;
        }
        if (op instanceof TarRecipe.Literal l) {
            chunk = l.bytes();
            chunkPos = 0;
            at += chunk.length;
            return true;
        }
        TarRecipe.Content c = (TarRecipe.Content) op;
        String hex = c.hex();
        String what = "sync: content " + (k + 1);
        SyncPack.Item item = items.get(k);
        boolean keep = repeated.contains(hex) && !scratchAt.containsKey(hex);
        if (item != null) {
            if (item.length() < 0) throw AndockException.corrupt("sync pack: an item of " + item.length() + " bytes");
            if (item.delta()) {
                if (item.length() > MAX_IN_MEMORY || c.size() > MAX_IN_MEMORY) throw AndockException.corrupt(what + ": a delta of " + c.size() + " bytes");
                give(BinaryDelta.apply(base(item.base()), readPack(item.length()), c.size()), c, what, keep);
            } else if (item.length() <= MAX_IN_MEMORY && c.size() <= MAX_IN_MEMORY) {
                give(decompress(item.kind(), readPack(item.length()), c, what), c, what, keep);
            } else if (item.kind() == SyncPack.DEFLATE) {
                throw AndockException.corrupt(what + ": a deflate item of " + c.size() + " bytes");
            } else {
                stream(new ZstdInputStream(limited(pack, item.length())), c, what, keep);
            }
        } else if (scratchAt.containsKey(hex)) {
            stream(region(scratchFile, scratchAt.get(hex), c.size()), c, what, false);
        } else {
            Path p = held.find(hex).orElseThrow(() -> AndockException.corrupt(what + ": not held here"));
            stream(Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS), c, what + " (held file " + p.getFileName() + ")", keep);
        }
        byOffset.put(at, c);
        at += c.size();
        k++;
        return true;
    }

    /** A whole content of at most {@link #MAX_IN_MEMORY} bytes, its size checked (its sha256 is the caller's). */
    private byte[] decompress(int kind, byte[] enc, TarRecipe.Content c, String what) {
        byte[] bytes = new byte[(int) c.size()];
        int n;
        try {
            if (kind == SyncPack.DEFLATE) {
                Inflater inf = inflater();
                inf.reset();
                inf.setInput(enc);
                n = 0;
                while (n < bytes.length) {
                    int r = inf.inflate(bytes, n, bytes.length - n);
                    if (r == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) break;
                    n += r;
                }
                // exactly the size the recipe names: the stream must end there, with nothing after it
                if (!inf.finished() && inf.inflate(new byte[1]) > 0) n = -1;
                if (!inf.finished() || inf.getRemaining() > 0) n = -1;
            } else {
                n = new ZstdDecompressor().decompress(enc, 0, enc.length, bytes, 0, bytes.length);
            }
        } catch (java.util.zip.DataFormatException | RuntimeException e) {
            throw AndockException.corrupt(what + ": does not decompress: " + e.getMessage());
        }
        if (n != bytes.length) throw AndockException.corrupt(what + " does not match its sha256 " + c.hex().substring(0, 12));
        return bytes;
    }

    private Inflater inflater() {
        if (inflater == null) inflater = new Inflater(true);
        return inflater;
    }

    private byte[] readPack(long length) throws IOException {
        if (length > MAX_IN_MEMORY) throw AndockException.corrupt("sync pack: an item of " + length + " bytes");
        byte[] b = pack.readNBytes((int) length);
        if (b.length != length) throw AndockException.corrupt("sync pack: truncated");
        return b;
    }

    /** The next {@code len} bytes of {@code in}, which stays open; what the reader leaves is skipped at close. */
    private static InputStream limited(InputStream in, long len) {
        return new InputStream() {
            private long left = len;

            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int n) throws IOException {
                if (left <= 0) return -1;
                int r = in.read(b, off, (int) Math.min(n, left));
                if (r < 0) throw AndockException.corrupt("sync pack: truncated");
                left -= r;
                return r;
            }

            @Override
            public void close() throws IOException {
                in.skipNBytes(left);
                left = 0;
            }
        };
    }

    /** Gives out {@code bytes}, checked first against {@code c}. */
    private void give(byte[] bytes, TarRecipe.Content c, String what, boolean keep) throws IOException {
        contentDigest.reset();
        if (bytes.length != c.size() || !HexFormat.of().formatHex(contentDigest.digest(bytes)).equals(c.hex())) {
            throw AndockException.corrupt(what + " does not match its sha256 " + c.hex().substring(0, 12));
        }
        if (keep) {
            long o = scratch().size();
            scratch().write(java.nio.ByteBuffer.wrap(bytes), o);
            scratchAt.put(c.hex(), o);
        }
        chunk = bytes.length == 0 ? null : bytes;
        chunkPos = 0;
    }

    private void stream(InputStream in, TarRecipe.Content c, String what, boolean keep) throws IOException {
        contentDigest.reset();
        streamed = in;
        streamedContent = c;
        streamedWhat = what;
        streamedLeft = c.size();
        keepStreamed = keep;
        if (keep) {
            scratchAt.put(c.hex(), scratch().size());
            scratch().position(scratch().size());
        }
    }

    /** The streamed content ended: it must be exactly its size and sha256. */
    private void endStreamed() throws IOException {
        TarRecipe.Content c = streamedContent;
        boolean whole;
        try (InputStream in = streamed) {
            whole = streamedLeft == 0 && in.read() < 0;
        } catch (IOException | RuntimeException e) {
            if (e instanceof AndockException a) throw a;
            throw AndockException.corrupt(streamedWhat + ": does not decompress: " + e.getMessage());
        } finally {
            streamed = null;
        }
        if (!whole || !HexFormat.of().formatHex(contentDigest.digest()).equals(c.hex())) {
            throw AndockException.corrupt(streamedWhat + " does not match its sha256 " + c.hex().substring(0, 12));
        }
    }

    private void finish() throws IOException {
        ended = true;
        Digest got = Digest.of("sha256", all);
        if (!got.equals(diffId)) {
            throw AndockException.corrupt("sync: the rebuilt layer is " + got + ", not the diff_id " + diffId + " the image names");
        }
        try {
            files = RebuiltFiles.read(recipe, at, byOffset);
        } catch (IOException | RuntimeException e) {
            files = null; // the new snapshot is then hashed for its list, as any other
        }
    }

    private FileChannel scratch() throws IOException {
        if (scratch == null) {
            scratch = FileChannel.open(scratchFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return scratch;
    }

    /** A delta base: a held file, read whole (at most {@link #MAX_IN_MEMORY} bytes) and checked. */
    private byte[] base(byte[] sha) throws IOException {
        String hex = HexFormat.of().formatHex(sha);
        Path p = held.find(hex).orElseThrow(() -> AndockException.corrupt("sync: no held file with sha256 " + hex.substring(0, 12)));
        byte[] b;
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            b = in.readNBytes(MAX_IN_MEMORY + 1);
        }
        if (!HexFormat.of().formatHex(Digest.sha256Digester().digest(b)).equals(hex)) {
            throw AndockException.corrupt("sync: held file " + p.getFileName() + " changed (sha256 differs)");
        }
        return b;
    }

    /** {@code len} bytes of the scratch file from {@code offset}. */
    private static InputStream region(Path file, long offset, long len) throws IOException {
        FileChannel ch = FileChannel.open(file);
        ch.position(offset);
        return new java.io.BufferedInputStream(new java.io.FilterInputStream(Channels.newInputStream(ch)) {
            private long left = len;

            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int n) throws IOException {
                if (left <= 0) return -1;
                int r = super.read(b, off, (int) Math.min(n, left));
                if (r > 0) left -= r;
                return r;
            }
        }, 1 << 16);
    }

    @Override
    public void close() throws IOException {
        try (pack; FileChannel s = scratch; InputStream in = streamed) {
            streamed = null;
            ended = true;
            if (inflater != null) inflater.end();
        } finally {
            Files.deleteIfExists(scratchFile);
        }
    }
}
