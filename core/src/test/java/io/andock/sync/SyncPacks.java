package io.andock.sync;

import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Test helper: the pack an honest hub would send for a tar when the device holds nothing (every content whole). */
final class SyncPacks {
    private SyncPacks() {
    }

    /** The raw recipe (not compressed) and each file's data by sha hex. */
    record Scanned(LayerIndex index, byte[] rawRecipe, Map<String, byte[]> data) {}

    static Scanned scan(byte[] tar) throws Exception {
        Map<String, byte[]> data = new java.util.HashMap<>();
        LayerIndex idx = LayerIndex.of(new ByteArrayInputStream(tar));
        TarScanner.scan(new ByteArrayInputStream(tar), OutputStreamNull.INSTANCE, (e, in) -> {
            byte[] b = in.readAllBytes();
            data.put(HexFormat.of().formatHex(io.andock.image.Digest.sha256Digester().digest(b)), b);
        });
        byte[] raw;
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(idx.recipe()))) {
            raw = in.readAllBytes();
        }
        return new Scanned(idx, raw, data);
    }

    /** A pack of {@code rawRecipe} with every content of {@code s} as a whole item, {@code item} may alter each. */
    static byte[] pack(Scanned s, byte[] rawRecipe, UnaryOperator<byte[]> item) throws IOException {
        List<SyncPack.Item> table = new ArrayList<>();
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        int i = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (FileEntry e : s.index().contents()) {
            String hex = HexFormat.of().formatHex(e.sha());
            if (seen.add(hex)) {
                byte[] z = zstd(item.apply(s.data().get(hex)));
                items.write(z);
                table.add(new SyncPack.Item(i, SyncPack.ZSTD, null, z.length));
            }
            i++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyncPack.writeHeader(out, zstd(rawRecipe), table);
        items.writeTo(out);
        return out.toByteArray();
    }

    static byte[] zstd(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(o)) {
            z.write(b);
        }
        return o.toByteArray();
    }

    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
