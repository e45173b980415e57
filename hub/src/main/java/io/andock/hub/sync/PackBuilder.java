package io.andock.hub.sync;

import io.airlift.compress.zstd.ZstdOutputStream;
import io.andock.hub.storage.HubStorage;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.snapshot.Decompression;
import io.andock.sync.BinaryDelta;
import io.andock.sync.FileEntry;
import io.andock.sync.LayerIndex;
import io.andock.sync.SyncPack;
import io.andock.sync.TarScanner;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.Deflater;

/**
 * Builds the {@link SyncPack} of one layer for a device that holds some contents: the recipe, then every content
 * the device lacks (first occurrence only: a device copies a repeat from what it has rebuilt), each as the smaller
 * of its deflate form (zstd for files over 16 MiB) and a {@link BinaryDelta} against the content the device holds at the same path. Contents come
 * from one pass over the layer's blob; delta bases from one pass over each held layer that has one. The pack is
 * written to the storage as a blob (its digest computed on the way), so it is served, resumed and cached like one.
 */
final class PackBuilder {
    /** Files larger than this travel whole (zstd, streamed through a scratch file), never as a delta: bounded memory. */
    static final int MAX_DELTA_FILE = 16 << 20;
    /** Files smaller than this are not worth a delta. */
    static final int MIN_DELTA_FILE = 256;
    /** Most bytes of delta bases held at once. */
    static final long MAX_BASES = 512L << 20;

    private final HubStorage storage;

    PackBuilder(HubStorage storage) {
        this.storage = storage;
    }

    /** What the device holds, as the hub knows it from the diff_ids it named. */
    record Held(Set<String> shas, Map<String, FileEntry> byPath, Map<String, Digest> layerOfSha) {}

    Digest build(Digest layer, LayerIndex idx, Held held, Set<String> need) throws IOException {
        List<FileEntry> contents = idx.contents();
        boolean[] send = new boolean[contents.size()];
        Set<String> seen = new HashSet<>();
        Map<Integer, FileEntry> baseFor = new HashMap<>();
        Map<String, Digest> baseLayers = new HashMap<>();
        long baseBytes = 0;
        for (int i = 0; i < contents.size(); i++) {
            FileEntry e = contents.get(i);
            String hex = HexFormat.of().formatHex(e.sha());
            if (!seen.add(hex)) continue;
            if (held.shas().contains(hex) && !need.contains(hex)) continue;
            send[i] = true;
            FileEntry old = held.byPath().get(e.path());
            if (old != null && old.sha() != null && e.size() >= MIN_DELTA_FILE && e.size() <= MAX_DELTA_FILE
                    && old.size() >= MIN_DELTA_FILE && old.size() <= MAX_DELTA_FILE && baseBytes + old.size() <= MAX_BASES) {
                String oh = HexFormat.of().formatHex(old.sha());
                Digest from = held.layerOfSha().get(oh);
                if (from != null) {
                    baseFor.put(i, old);
                    if (baseLayers.putIfAbsent(oh, from) == null) baseBytes += old.size();
                }
            }
        }
        Map<String, byte[]> bases = loadBases(baseLayers);
        List<SyncPack.Item> table = new ArrayList<>();
        HubStorage.Staged items = storage.stage("sync-items-" + UUID.randomUUID());
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            int[] k = {-1};
            try (InputStream tar = open(layer)) {
                TarScanner.scan(tar, java.io.OutputStream.nullOutputStream(), (entry, data) -> {
                    int i = ++k[0];
                    if (i >= send.length || !send[i]) return;
                    if (entry.size() > MAX_DELTA_FILE) {
                        long n = appendLarge(items, data);
                        table.add(new SyncPack.Item(i, SyncPack.ZSTD, null, n));
                        return;
                    }
                    byte[] bytes = data.readAllBytes();
                    byte[] whole = deflate(deflater, bytes);
                    byte[] out = whole;
                    boolean delta = false;
                    FileEntry old = baseFor.get(i);
                    byte[] base = old == null ? null : bases.get(HexFormat.of().formatHex(old.sha()));
                    if (base != null) {
                        byte[] d = delta(old.sha(), base, bytes);
                        if (d.length > 0 && d.length < whole.length) {
                            out = d;
                            delta = true;
                        }
                    }
                    items.append(new ByteArrayInputStream(out), out.length);
                    table.add(new SyncPack.Item(i, delta ? SyncPack.DELTA : SyncPack.DEFLATE, delta ? old.sha() : null, out.length));
                });
            } catch (TarScanner.Unrebuildable e) {
                throw new IOException("layer " + layer + " changed under the index: " + e.getMessage());
            }
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            SyncPack.writeHeader(head, idx.recipe(), table);
            HubStorage.Staged pack = storage.stage("sync-pack-" + UUID.randomUUID());
            try {
                MessageDigest md = Digest.sha256Digester();
                pack.append(new DigestInputStream(new ByteArrayInputStream(head.toByteArray()), md), Long.MAX_VALUE);
                try (InputStream in = items.read()) {
                    pack.append(new DigestInputStream(in, md), Long.MAX_VALUE);
                }
                Digest d = Digest.of("sha256", md);
                pack.publish(d);
                return d;
            } catch (RuntimeException | IOException e) {
                pack.discard();
                throw e;
            }
        } finally {
            deflater.end();
            items.discard();
        }
    }

    /**
     * The delta from {@code base} to {@code bytes}, made once per pair of contents and kept in the metadata
     * ({@code sync/deltas/<old>-<new>}; empty: not worth it), so every plan after the first reuses it.
     */
    private byte[] delta(byte[] oldSha, byte[] base, byte[] bytes) {
        String key = "sync/deltas/" + HexFormat.of().formatHex(oldSha) + "-" + HexFormat.of().formatHex(Digest.sha256Digester().digest(bytes));
        Optional<byte[]> cached = storage.get(key);
        if (cached.isPresent()) return cached.get();
        byte[] d = BinaryDelta.diff(base, bytes);
        storage.put(key, d.length < bytes.length ? d : new byte[0]);
        return d;
    }

    private Map<String, byte[]> loadBases(Map<String, Digest> want) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        Map<Digest, Set<String>> byLayer = new HashMap<>();
        for (var e : want.entrySet()) byLayer.computeIfAbsent(e.getValue(), x -> new HashSet<>()).add(e.getKey());
        for (var e : byLayer.entrySet()) {
            Set<String> shas = e.getValue();
            try (InputStream tar = open(e.getKey())) {
                TarScanner.scan(tar, java.io.OutputStream.nullOutputStream(), (entry, data) -> {
                    if (entry.size() < MIN_DELTA_FILE || entry.size() > MAX_DELTA_FILE || out.size() == shas.size()) return;
                    byte[] b = data.readAllBytes();
                    String hex = HexFormat.of().formatHex(Digest.sha256Digester().digest(b));
                    if (shas.contains(hex)) out.putIfAbsent(hex, b);
                });
            } catch (TarScanner.Unrebuildable | IOException | RuntimeException ex) {
                // a base layer that cannot be read: those files travel whole
            }
        }
        return out;
    }

    /** A large file, zstd-compressed through a scratch file (never whole in memory); returns the bytes appended. */
    private static long appendLarge(HubStorage.Staged items, InputStream data) throws IOException {
        java.nio.file.Path t = java.nio.file.Files.createTempFile("andock-hub-sync-", ".zst");
        try {
            try (java.io.OutputStream o = new ZstdOutputStream(new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(t), 1 << 16))) {
                data.transferTo(o);
            }
            long n = java.nio.file.Files.size(t);
            try (InputStream in = java.nio.file.Files.newInputStream(t)) {
                items.append(in, n);
            }
            return n;
        } finally {
            java.nio.file.Files.deleteIfExists(t);
        }
    }

    private InputStream open(Digest layer) throws IOException {
        InputStream blob = new BufferedInputStream(storage.openBlob(layer, 0), 1 << 16);
        return Decompression.open(blob, MediaTypes.Compression.DETECT);
    }

    /** {@code b} as raw deflate (see {@link SyncPack}: native on the device from the start, and as small as zstd). */
    static byte[] deflate(Deflater d, byte[] b) {
        d.reset();
        d.setInput(b);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream(b.length / 2 + 64);
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) o.write(buf, 0, d.deflate(buf));
        return o.toByteArray();
    }
}
