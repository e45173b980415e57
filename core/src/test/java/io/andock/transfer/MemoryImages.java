package io.andock.transfer;

import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.MediaTypes;
import io.andock.image.Platform;
import io.andock.json.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Images built in memory, and an in-memory source and destination that record what the copier asked of them. */
final class MemoryImages {
    private MemoryImages() {
    }

    /** One platform image: its layers, config and manifest bytes. */
    record Image(List<byte[]> layers, byte[] config, RawManifest manifest) {
        Descriptor layer(int i) {
            byte[] b = layers.get(i);
            return new Descriptor(MediaTypes.OCI_LAYER, Digest.sha256(b), b.length);
        }

        Descriptor configDescriptor() {
            return new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
        }
    }

    static byte[] randomBytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Image image(String platform, byte[]... layers) {
        Platform p = Platform.parse(platform);
        List<Object> diffIds = new ArrayList<>();
        List<Object> layerJson = new ArrayList<>();
        for (byte[] l : layers) {
            diffIds.add(Digest.sha256(l).toString());
            layerJson.add(new Descriptor(MediaTypes.OCI_LAYER, Digest.sha256(l), l.length).toJson());
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("architecture", p.architecture());
        cfg.put("os", p.os());
        if (!p.variant().isEmpty()) cfg.put("variant", p.variant());
        cfg.put("config", Map.of("Cmd", List.of("sh")));
        cfg.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
        byte[] config = Json.writeBytes(cfg);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("config", new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length).toJson());
        m.put("layers", layerJson);
        return new Image(List.of(layers), config, RawManifest.of(Json.writeBytes(m), MediaTypes.OCI_MANIFEST));
    }

    static RawManifest index(Image... images) {
        List<Object> ms = new ArrayList<>();
        for (Image i : images) {
            Map<String, Object> d = new LinkedHashMap<>(i.manifest().descriptor().toJson());
            io.andock.image.ImageConfig c = io.andock.image.ImageConfig.parse(i.config());
            d.put("platform", c.platform().toJson());
            ms.add(d);
        }
        Map<String, Object> ix = new LinkedHashMap<>();
        ix.put("schemaVersion", 2);
        ix.put("mediaType", MediaTypes.OCI_INDEX);
        ix.put("manifests", ms);
        return RawManifest.of(Json.writeBytes(ix), MediaTypes.OCI_INDEX);
    }

    /** Serves a top manifest and whatever blobs and child manifests it was given; can tamper with blobs. */
    static final class Source implements ImageSource {
        final RawManifest top;
        final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
        final Map<Digest, RawManifest> children = new ConcurrentHashMap<>();
        final List<Digest> blobRequests = Collections.synchronizedList(new ArrayList<>());
        final Map<Digest, UnaryOperator<byte[]>> tamper = new ConcurrentHashMap<>();
        final Map<Digest, RuntimeException> failures = new ConcurrentHashMap<>();

        Source(RawManifest top, Image... images) {
            this.top = top;
            for (Image i : images) {
                blobs.put(i.configDescriptor().digest(), i.config());
                for (byte[] l : i.layers()) blobs.put(Digest.sha256(l), l);
                children.put(i.manifest().digest(), i.manifest());
            }
        }

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public RawManifest manifest(Digest digest) {
            if (digest == null) return top;
            RawManifest m = children.get(digest);
            if (m == null) throw io.andock.AndockException.notFound("no manifest " + digest);
            return m;
        }

        @Override
        public InputStream blob(Descriptor blob, long offset) {
            blobRequests.add(blob.digest());
            RuntimeException f = failures.get(blob.digest());
            if (f != null) throw f;
            byte[] b = blobs.get(blob.digest());
            if (b == null) throw io.andock.AndockException.notFound("no blob " + blob.digest());
            b = tamper.getOrDefault(blob.digest(), x -> x).apply(b);
            return new ByteArrayInputStream(b, (int) offset, b.length - (int) offset);
        }
    }

    /** Stores blobs and manifests in maps; records the order of calls as text. */
    static final class Destination implements ImageDestination {
        final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
        final Map<Digest, RawManifest> manifests = new ConcurrentHashMap<>();
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        volatile CopyResult committed;
        volatile Throwable aborted;

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public boolean tryReuse(Descriptor blob) {
            return blobs.containsKey(blob.digest());
        }

        @Override
        public void putBlob(Descriptor blob, BlobOpener from) {
            try (InputStream in = from.open()) {
                byte[] b = in.readAllBytes(); // read to the end: only then is the stream verified
                blobs.put(blob.digest(), b);
                calls.add("blob " + blob.digest().shortHex());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void putManifest(RawManifest manifest) {
            manifests.put(manifest.digest(), manifest);
            calls.add("manifest " + manifest.digest().shortHex());
        }

        @Override
        public void commit(CopyResult result) {
            committed = result;
            calls.add("commit");
        }

        @Override
        public void abort(Throwable cause) {
            aborted = cause;
            calls.add("abort");
        }
    }

    /** Every listener call, as text. */
    static final class Events implements TransferListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void status(String id, String status) {
            events.add(id + " " + status);
        }

        @Override
        public void progress(String id, String action, long current, long total) {
            events.add(id + " " + action + " " + current + "/" + total);
        }

        @Override
        public void message(String text) {
            events.add(text);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
