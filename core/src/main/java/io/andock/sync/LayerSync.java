package io.andock.sync;

import io.airlift.compress.zstd.ZstdInputStream;
import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A device's sync of one layer from an andock hub: ask for a plan naming what the device holds, fetch the pack
 * (resumed after drops), and rebuild the uncompressed tar from the recipe, the device's own files and the pack's
 * items as the snapshotter's hardened applier reads it ({@link RebuiltTar}): every content is checked against its
 * sha256 and the whole against the diff_id the image config names before the stream ends, and the applier writes
 * into a staging directory that becomes a snapshot only then. A hub that lies (a wrong recipe, wrong contents, a
 * recipe with {@code ../} in its headers, a cut stream, absurd counts) gets a CORRUPT error and no snapshot.
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

    private final Hub hub;
    /** The device's files, when first needed (the caller may still be listing them while the plan is asked). */
    private final java.util.function.Supplier<HeldFiles> held;
    private final List<Digest> have;
    private final Path tmp;
    private Stats stats = new Stats(0, 0, 0, 0);
    private RebuiltTar rebuilding;

    public LayerSync(Hub hub, HeldFiles held, List<Digest> have, Path tmp) {
        this(hub, () -> held, have, tmp);
    }

    /** As above, the files held given once the pack is here (listing them overlaps the plan and the download). */
    public LayerSync(Hub hub, java.util.function.Supplier<HeldFiles> held, List<Digest> have, Path tmp) {
        this.hub = hub;
        this.held = held;
        this.have = have;
        this.tmp = tmp;
    }

    public Stats stats() {
        return stats;
    }

    /**
     * The files of the layer last opened, each with the content checked at its place, once its tar was read to the
     * end (and matched the diff_id); empty if unknown.
     */
    public Optional<RebuiltFiles> rebuiltFiles() {
        return Optional.ofNullable(rebuilding).map(RebuiltTar::files);
    }

    /**
     * The layer's uncompressed tar in a file of {@code tmp} (the caller deletes it), verified against
     * {@code diffId}; empty when the hub serves this layer whole.
     *
     * @param maxPack most bytes the hub may send for it (the compressed layer's size plus room for the recipe)
     */
    public Optional<Path> fetch(Digest layer, Digest diffId, long maxPack) {
        Optional<InputStream> in = open(layer, diffId, maxPack);
        if (in.isEmpty()) return Optional.empty();
        Path tar = tmp.resolve("sync-layer-" + UUID.randomUUID() + ".tar");
        try (InputStream rebuilt = in.get()) {
            Files.copy(rebuilt, tar);
            return Optional.of(tar);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tar);
            } catch (IOException ignored) {
                // tmp is swept later
            }
            if (e instanceof AndockException a) throw a.withContext("sync layer " + layer.shortHex());
            if (e instanceof IOException io) throw AndockException.wrap("sync layer " + layer.shortHex(), io);
            throw (RuntimeException) e;
        }
    }

    /**
     * The layer's uncompressed tar, rebuilt as it is read (no copy on disk); empty when the hub serves this layer
     * whole. The stream fails instead of ending unless the tar's sha256 is {@code diffId}: its reader applies it into
     * a staging directory that it discards on any failure (as the snapshotter does). Closing it deletes the pack.
     *
     * @param maxPack most bytes the hub may send for it (the compressed layer's size plus room for the recipe)
     */
    public Optional<InputStream> open(Digest layer, Digest diffId, long maxPack) {
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
            InputStream pack = new BufferedInputStream(new PackStream(hub.pack(packDigest, size, 0), packDigest, size), 1 << 16);
            boolean handedOn = false;
            try {
                io.andock.Trace.phase("sync plan");
                packBytes += size;
                stats = new Stats(packBytes, stats.items(), stats.deltas(), stats.local());
                Object got = prepare(pack, diffId);
                io.andock.Trace.phase("sync pass1");
                if (got instanceof RebuiltTar t) {
                    handedOn = true;
                    rebuilding = t;
                    return Optional.of(t);
                }
                @SuppressWarnings("unchecked") List<String> missing = (List<String>) got;
                if (round == 1) throw AndockException.corrupt("sync: the hub did not send " + missing.size() + " contents asked for");
                need = missing;
            } catch (IOException e) {
                throw AndockException.wrap("sync layer " + layer.shortHex(), e);
            } catch (AndockException e) {
                throw e.withContext("sync layer " + layer.shortHex());
            } finally {
                if (!handedOn) {
                    try {
                        pack.close();
                    } catch (IOException ignored) {
                        // a connection given up
                    }
                }
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** A recipe's bytes, at most {@link TarRecipe#MAX_RAW} of them. */
    private static byte[] readRecipe(InputStream z) throws IOException {
        byte[] raw = z.readNBytes(TarRecipe.MAX_RAW + 1);
        if (raw.length > TarRecipe.MAX_RAW) throw AndockException.corrupt("sync pack: a recipe of more than " + TarRecipe.MAX_RAW + " bytes");
        return raw;
    }

    /**
     * Checks that every content is in the pack, held, or repeated from earlier in this tar: then the tar to read
     * (which reads the rest of {@code pack}, its items, as it goes); else the shas neither the pack nor the device has.
     */
    private Object prepare(InputStream pack, Digest diffId) throws IOException {
        SyncPack.Head head = SyncPack.Head.read(pack, -1);
        byte[] recipe = head.recipe();
        HeldFiles held = this.held.get();
        io.andock.Trace.phase("sync held");
        Map<Integer, SyncPack.Item> items = new HashMap<>();
        int deltas = 0;
        for (SyncPack.Item i : head.items()) {
            items.put(i.contentIndex(), i);
            if (i.delta()) deltas++;
        }
        Set<String> missing = new LinkedHashSet<>();
        Set<String> seen = new java.util.HashSet<>();
        Set<String> repeated = new java.util.HashSet<>();
        int k = 0, local = 0;
        // decompressed once (megabytes for a layer of many files), then read by each pass from memory
        byte[] rawRecipe;
        try (InputStream z = new ZstdInputStream(new ByteArrayInputStream(recipe))) {
            rawRecipe = readRecipe(z);
        } catch (RuntimeException e) {
            if (e instanceof AndockException) throw e;
            throw AndockException.corrupt("sync pack: the recipe does not decompress: " + e.getMessage());
        }
        TarRecipe.Reader rr = new TarRecipe.Reader(new ByteArrayInputStream(rawRecipe));
        for (TarRecipe.Op op; (op = rr.next()) != null; ) {
            if (!(op instanceof TarRecipe.Content c)) continue;
            String hex = c.hex();
            if (!seen.add(hex)) {
                repeated.add(hex);
            } else if (!items.containsKey(k)) {
                if (held.find(hex).isEmpty()) missing.add(hex);
                else local++;
            }
            k++;
        }
        if (!head.items().isEmpty() && head.items().get(head.items().size() - 1).contentIndex() >= k) {
            throw AndockException.corrupt("sync pack: items beyond the recipe's " + k + " contents");
        }
        if (!missing.isEmpty()) return new ArrayList<>(missing);
        stats = new Stats(stats.packBytes(), items.size(), deltas, local);
        return new RebuiltTar(rawRecipe, items, pack, held, repeated,
                tmp.resolve("sync-repeats-" + UUID.randomUUID()), diffId);
    }

    /**
     * The pack as it arrives (resumed after drops by the hub client): never more than {@code size} bytes, and its
     * sha256 checked when the last byte arrives, before that byte is given out (the integrity of the transfer; every
     * content is checked on its own anyway, and the tar against the diff_id).
     */
    private static final class PackStream extends java.io.FilterInputStream {
        private final Digest digest;
        private final long size;
        private final MessageDigest md;
        private long count;

        PackStream(InputStream in, Digest digest, long size) {
            super(in);
            this.digest = digest;
            this.size = size;
            this.md = digest.newDigester();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (count == size) {
                if (len > 0 && super.read(b, off, 1) > 0) throw AndockException.corrupt("sync pack " + digest.shortHex() + ": more than the " + size + " bytes announced");
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, size - count));
            if (n < 0) throw AndockException.corrupt("sync pack " + digest.shortHex() + ": " + count + " of " + size + " bytes");
            md.update(b, off, n);
            count += n;
            if (count == size && !Digest.of(digest.algorithm(), md).equals(digest)) {
                throw AndockException.corrupt("sync pack " + digest.shortHex() + ": digest mismatch");
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }
    }
}
