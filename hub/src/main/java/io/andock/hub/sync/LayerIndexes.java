package io.andock.hub.sync;

import io.andock.hub.storage.HubStorage;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.snapshot.Decompression;
import io.andock.sync.LayerIndex;
import io.andock.sync.TarScanner;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The file index of each layer blob the hub holds, made once (single flight) and kept in the storage's metadata:
 * {@code sync/layers/<hex>} the encoded {@link LayerIndex} (or one byte {@code 0}: the tar cannot be rebuilt, so
 * the layer is served whole), and {@code sync/diffids/<hex>} the layer blob a diff_id came from, so that devices
 * can name what they hold by the diff_ids their image configs list.
 */
public final class LayerIndexes {
    private static final Logger LOG = Logger.getLogger("andock.hub.sync");
    private final HubStorage storage;
    private final ConcurrentHashMap<Digest, Object> flights = new ConcurrentHashMap<>();

    public LayerIndexes(HubStorage storage) {
        this.storage = storage;
    }

    /** The index of layer blob {@code layer}, made now if needed; empty when the layer must travel whole. */
    public Optional<LayerIndex> get(Digest layer) {
        Optional<byte[]> have = storage.get(key(layer));
        if (have.isEmpty()) {
            Object lock = flights.computeIfAbsent(layer, k -> new Object());
            synchronized (lock) {
                have = storage.get(key(layer));
                if (have.isEmpty()) have = Optional.of(build(layer));
            }
            flights.remove(layer, lock);
        }
        byte[] b = have.get();
        if (b.length <= 1) return Optional.empty();
        return Optional.of(LayerIndex.decode(b));
    }

    /** Whether layer blob {@code layer} was indexed (or found to travel whole) already. */
    public boolean indexed(Digest layer) {
        return storage.stat(key(layer)).isPresent();
    }

    /** The layer blob whose uncompressed tar has this diff_id, if the hub indexed one. */
    public Optional<Digest> layerOf(Digest diffId) {
        return storage.get("sync/diffids/" + diffId.hex()).map(b -> Digest.parse(new String(b, StandardCharsets.UTF_8)));
    }

    private byte[] build(Digest layer) {
        long t0 = System.nanoTime();
        byte[] out;
        try (InputStream blob = new BufferedInputStream(storage.openBlob(layer, 0), 1 << 16);
             InputStream tar = Decompression.open(blob, MediaTypes.Compression.DETECT)) {
            LayerIndex idx = LayerIndex.of(tar);
            out = idx.encode();
            storage.put("sync/diffids/" + HexFormat.of().formatHex(idx.diffId()), layer.toString().getBytes(StandardCharsets.UTF_8));
            LOG.info("sync: indexed " + layer + ": " + idx.entries().size() + " entries in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (TarScanner.Unrebuildable e) {
            LOG.info("sync: " + layer + " is served whole: " + e.getMessage());
            out = new byte[]{0};
        } catch (IOException | RuntimeException e) {
            // not a tar (an artifact, a foreign blob): whole as well
            LOG.info("sync: " + layer + " is served whole: " + e);
            out = new byte[]{0};
        }
        storage.put(key(layer), out);
        return out;
    }

    static String key(Digest layer) {
        return "sync/layers/" + layer.algorithm() + "/" + layer.hex();
    }
}
