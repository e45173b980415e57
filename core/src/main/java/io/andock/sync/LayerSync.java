package io.andock.sync;

import io.airlift.compress.zstd.ZstdDecompressor;
import io.airlift.compress.zstd.ZstdInputStream;
import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A device's sync of one layer from an andock hub: ask for a plan naming what the device holds, fetch the pack
 * (resumed after drops), rebuild the uncompressed tar from the recipe, the device's own files and the pack's
 * items, and check it against the diff_id the image config names. Only then is the tar handed on (to the
 * snapshotter, whose hardened applier applies it): a hub that lies (a wrong recipe, wrong contents, a recipe with
 * {@code ../} in its headers, a cut stream, absurd counts) gets a CORRUPT error and nothing is applied.
 * Not thread-safe; one instance per layer.
 */
public final class LayerSync {
    /** The hub's side of the exchange (the registry client, with auth and retries). */
    public interface Hub {
        byte[] plan(byte[] request);

        InputStream pack(Digest pack, long size, long offset);
    }

    /** Bytes received for one layer, for reports and benchmarks. */
    public record Stats(long packBytes, int items, int deltas, int local) {}

    /** Largest delta base and delta result held in memory (the hub makes deltas of files up to 16 MiB only). */
    private static final int MAX_DELTA = 64 << 20;

    private final Hub hub;
    private final HeldFiles held;
    private final List<Digest> have;
    private final Path tmp;
    private Stats stats = new Stats(0, 0, 0, 0);
    private RebuiltFiles rebuilt;
    /** Reused for every content of the rebuild (hundreds of files: one buffer and digester, not one each). */
    private final byte[] copyBuffer = new byte[1 << 16];
    private final MessageDigest contentDigest = Digest.sha256Digester();

    public LayerSync(Hub hub, HeldFiles held, List<Digest> have, Path tmp) {
        this.hub = hub;
        this.held = held;
        this.have = have;
        this.tmp = tmp;
    }

    public Stats stats() {
        return stats;
    }

    /** The files of the layer last fetched, each with the content checked at its place; empty if unknown. */
    public Optional<RebuiltFiles> rebuiltFiles() {
        return Optional.ofNullable(rebuilt);
    }

    /**
     * The layer's uncompressed tar in a file of {@code tmp} (the caller deletes it), verified against
     * {@code diffId}; empty when the hub serves this layer whole.
     *
     * @param maxPack most bytes the hub may send for it (the compressed layer's size plus room for the recipe)
     */
    public Optional<Path> fetch(Digest layer, Digest diffId, long maxPack) {
        List<String> need = List.of();
        long packBytes = 0;
        for (int round = 0; round < 2; round++) {
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("layer", layer.toString());
            req.put("have", have.stream().map(Digest::toString).toList());
            if (!need.isEmpty()) req.put("need", need);
            JsonObject answer;
            try {
                answer = JsonObject.parse(hub.plan(Json.writeBytes(req)));
            } catch (AndockException e) {
                throw e.withContext("sync plan");
            } catch (RuntimeException e) {
                throw AndockException.corrupt("sync plan: unreadable answer");
            }
            if (answer.has("whole") && answer.bool("whole")) return Optional.empty();
            Digest packDigest = Digest.parse(answer.string("pack"));
            long size = answer.number("size", -1);
            if (size < 0 || size > maxPack) throw AndockException.corrupt("sync plan: a pack of " + size + " bytes for a layer of at most " + maxPack);
            Path pack = tmp.resolve("sync-pack-" + UUID.randomUUID());
            try {
                io.andock.Trace.phase("sync plan");
                download(packDigest, size, pack);
                io.andock.Trace.phase("sync download " + size);
                packBytes += size;
                Path tar = tmp.resolve("sync-layer-" + UUID.randomUUID() + ".tar");
                try {
                    List<String> missing = rebuild(pack, tar, diffId);
                    if (missing.isEmpty()) return Optional.of(tar);
                    Files.deleteIfExists(tar);
                    if (round == 1) throw AndockException.corrupt("sync: the hub did not send " + missing.size() + " contents asked for");
                    need = missing;
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(tar);
                    throw e;
                }
            } catch (IOException e) {
                throw AndockException.wrap("sync layer " + layer.shortHex(), e);
            } catch (AndockException e) {
                throw e.withContext("sync layer " + layer.shortHex());
            } finally {
                try {
                    Files.deleteIfExists(pack);
                } catch (IOException ignored) {
                    // tmp is swept later
                }
                stats = new Stats(packBytes, stats.items(), stats.deltas(), stats.local());
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** The pack into {@code file}, resumed where it stopped, its sha256 checked (integrity of the transfer only). */
    private void download(Digest d, long size, Path file) throws IOException {
        MessageDigest md = d.newDigester();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             InputStream in = hub.pack(d, size, 0)) {
            byte[] buf = new byte[1 << 16];
            long got = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                got += n;
                if (got > size) throw AndockException.corrupt("sync pack " + d.shortHex() + ": more than the " + size + " bytes announced");
                md.update(buf, 0, n);
                out.write(buf, 0, n);
            }
            if (got != size) throw AndockException.corrupt("sync pack " + d.shortHex() + ": " + got + " of " + size + " bytes");
        }
        if (!Digest.of(d.algorithm(), md).equals(d)) throw AndockException.corrupt("sync pack " + d.shortHex() + ": digest mismatch");
    }

    /** Rebuilds into {@code tar}; returns the shas neither the pack nor the device has (then nothing is valid). */
    private List<String> rebuild(Path packFile, Path tar, Digest diffId) throws IOException {
        try (RandomAccessFile pack = new RandomAccessFile(packFile.toFile(), "r");
             InputStream packIn = new BufferedInputStream(Files.newInputStream(packFile), 1 << 16)) {
            CountingInput counted = new CountingInput(packIn);
            SyncPack.Head head = SyncPack.Head.read(counted, -1);
            long itemsAt = counted.count;
            byte[] recipe = head.recipe();
            // pass 1: every content is in the pack, held, or repeated from earlier in this tar
            Map<Integer, SyncPack.Item> items = new HashMap<>();
            for (SyncPack.Item i : head.items()) items.put(i.contentIndex(), i);
            Set<String> missing = new LinkedHashSet<>();
            Set<String> seen = new java.util.HashSet<>();
            int k = 0;
            try (InputStream r = new ZstdInputStream(new ByteArrayInputStream(recipe))) {
                TarRecipe.Reader rr = new TarRecipe.Reader(r);
                for (TarRecipe.Op op; (op = rr.next()) != null; ) {
                    if (!(op instanceof TarRecipe.Content c)) continue;
                    String hex = c.hex();
                    if (!items.containsKey(k) && !seen.contains(hex) && held.find(hex).isEmpty()) missing.add(hex);
                    seen.add(hex);
                    k++;
                }
            }
            if (!head.items().isEmpty() && head.items().get(head.items().size() - 1).contentIndex() >= k) {
                throw AndockException.corrupt("sync pack: items beyond the recipe's " + k + " contents");
            }
            io.andock.Trace.phase("sync pass1");
            if (!missing.isEmpty()) return new ArrayList<>(missing);
            // pass 2: write the tar, hashing it
            MessageDigest all = Digest.sha256Digester();
            Map<String, Long> written = new HashMap<>();
            Map<Long, TarRecipe.Content> byOffset = new HashMap<>();
            long at = 0;
            long itemAt = itemsAt;
            int items2 = 0, deltas = 0, local = 0;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16);
                 InputStream r = new ZstdInputStream(new ByteArrayInputStream(recipe))) {
                TarRecipe.Reader rr = new TarRecipe.Reader(r);
                k = 0;
                for (TarRecipe.Op op; (op = rr.next()) != null; ) {
                    if (op instanceof TarRecipe.Literal l) {
                        out.write(l.bytes());
                        all.update(l.bytes());
                        at += l.bytes().length;
                        continue;
                    }
                    TarRecipe.Content c = (TarRecipe.Content) op;
                    SyncPack.Item item = items.get(k);
                    String what = "sync: content " + (k + 1);
                    if (item != null) {
                        if (itemAt + item.length() > pack.length() || item.length() < 0) throw AndockException.corrupt("sync pack: an item beyond its end");
                        if (item.delta()) {
                            if (item.length() > MAX_DELTA || c.size() > MAX_DELTA) throw AndockException.corrupt(what + ": a delta of " + c.size() + " bytes");
                            byte[] enc = new byte[(int) item.length()];
                            pack.seek(itemAt);
                            pack.readFully(enc);
                            byte[] bytes = BinaryDelta.apply(base(item.base()), enc, c.size());
                            writeVerified(bytes, c, out, all, what);
                            deltas++;
                        } else if (item.length() <= MAX_DELTA && c.size() <= MAX_DELTA) {
                            // a file of usual size: one read and one decompression into an array, no stream per item
                            byte[] enc = new byte[(int) item.length()];
                            pack.seek(itemAt);
                            pack.readFully(enc);
                            byte[] bytes = new byte[(int) c.size()];
                            int n;
                            try {
                                n = new ZstdDecompressor().decompress(enc, 0, enc.length, bytes, 0, bytes.length);
                            } catch (RuntimeException e) {
                                throw AndockException.corrupt(what + ": does not decompress: " + e.getMessage());
                            }
                            if (n != bytes.length) throw AndockException.corrupt(what + " does not match its sha256 " + c.hex().substring(0, 12));
                            writeVerified(bytes, c, out, all, what);
                        } else {
                            try (InputStream z = new ZstdInputStream(region(packFile, itemAt, item.length()))) {
                                copyVerified(z, c, out, all, what);
                            } catch (IOException | RuntimeException e) {
                                if (e instanceof AndockException a) throw a;
                                throw AndockException.corrupt(what + ": does not decompress: " + e.getMessage());
                            }
                        }
                        itemAt += item.length();
                        items2++;
                    } else if (written.containsKey(c.hex())) {
                        out.flush();
                        try (InputStream in = region(tar, written.get(c.hex()), c.size())) {
                            copyVerified(in, c, out, all, what);
                        }
                    } else {
                        Path p = held.find(c.hex()).orElseThrow(() -> AndockException.corrupt(what + ": not held here"));
                        try (InputStream in = Files.newInputStream(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            copyVerified(in, c, out, all, what + " (held file " + p.getFileName() + ")");
                        }
                        local++;
                    }
                    written.putIfAbsent(c.hex(), at);
                    byOffset.put(at, c);
                    at += c.size();
                    k++;
                }
            }
            io.andock.Trace.phase("sync pass2");
            Digest got = Digest.of("sha256", all);
            if (!got.equals(diffId)) {
                throw AndockException.corrupt("sync: the rebuilt layer is " + got + ", not the diff_id " + diffId + " the image names");
            }
            stats = new Stats(stats.packBytes(), items2, deltas, local);
            try {
                rebuilt = RebuiltFiles.read(tar, byOffset);
            } catch (IOException | RuntimeException e) {
                rebuilt = null; // the new snapshot is then hashed for its list, as any other
            }
            return List.of();
        }
    }

    /** A delta base: a held file, read whole (at most {@link #MAX_DELTA} bytes) and checked. */
    private byte[] base(byte[] sha) throws IOException {
        String hex = HexFormat.of().formatHex(sha);
        Path p = held.find(hex).orElseThrow(() -> AndockException.corrupt("sync: no held file with sha256 " + hex.substring(0, 12)));
        byte[] b;
        try (InputStream in = Files.newInputStream(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            b = in.readNBytes(MAX_DELTA + 1);
        }
        if (!HexFormat.of().formatHex(Digest.sha256Digester().digest(b)).equals(hex)) {
            throw AndockException.corrupt("sync: held file " + p.getFileName() + " changed (sha256 differs)");
        }
        return b;
    }

    /** {@code len} bytes of {@code file} from {@code offset}. */
    private static InputStream region(Path file, long offset, long len) throws IOException {
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file);
        ch.position(offset);
        return new java.io.BufferedInputStream(new java.io.FilterInputStream(java.nio.channels.Channels.newInputStream(ch)) {
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

    /** Streams exactly the content {@code c} from {@code in} to {@code out}, its size and sha256 checked. */
    /** Writes the content {@code c}, whole in {@code bytes}, its size and sha256 checked. */
    private void writeVerified(byte[] bytes, TarRecipe.Content c, OutputStream out, MessageDigest all, String what) throws IOException {
        contentDigest.reset();
        if (bytes.length != c.size() || !HexFormat.of().formatHex(contentDigest.digest(bytes)).equals(c.hex())) {
            throw AndockException.corrupt(what + " does not match its sha256 " + c.hex().substring(0, 12));
        }
        all.update(bytes);
        out.write(bytes);
    }

    private void copyVerified(InputStream in, TarRecipe.Content c, OutputStream out, MessageDigest all, String what) throws IOException {
        MessageDigest md = contentDigest;
        md.reset();
        byte[] buf = copyBuffer;
        long left = c.size();
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) break;
            md.update(buf, 0, n);
            all.update(buf, 0, n);
            out.write(buf, 0, n);
            left -= n;
        }
        if (left != 0 || in.read() >= 0 || !HexFormat.of().formatHex(md.digest()).equals(c.hex())) {
            throw AndockException.corrupt(what + " does not match its sha256 " + c.hex().substring(0, 12));
        }
    }

    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }

}
