package io.andock.engine;

import io.andock.AndockException;
import io.andock.builder.BuildBackend;
import io.andock.content.ContentStore;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.ImageConfig;
import io.andock.image.MediaTypes;
import io.andock.image.Platform;
import io.andock.image.Reference;
import io.andock.image.store.ImageRecord;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.driver.Driver;
import io.andock.driver.Drivers;
import io.andock.snapshot.ApplyOptions;
import io.andock.snapshot.Snapshotter;
import io.andock.transfer.RawManifest;
import io.andock.transfer.TransferListener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The engine side of {@code andock build}: base images from the image store (pulled when missing), chains unpacked
 * by the snapshotter, layer blobs into the content store, the result recorded like an import (config + OCI
 * manifest, named by every tag) and unpacked. RUN steps get the driver the engine would give a container; a
 * foreign-platform RUN gets proot with qemu-user unless binfmt_misc has a qemu handler.
 */
final class EngineBuildBackend implements BuildBackend {
    private final Images images;
    private final ContentStore content;
    private final Snapshotter snapshotter;
    private final java.util.function.Supplier<Drivers> drivers;
    private final EngineConfig config;

    EngineBuildBackend(Images images, ContentStore content, Snapshotter snapshotter, java.util.function.Supplier<Drivers> drivers,
                       EngineConfig config) {
        this.images = images;
        this.content = content;
        this.snapshotter = snapshotter;
        this.drivers = drivers;
        this.config = config;
    }

    @Override
    public Image image(String ref, Platform platform, Consumer<String> progress) {
        if (!images.has(ref, platform)) {
            images.pull(ref, platform, new TransferListener() {
                @Override
                public void message(String text) {
                    progress.accept(text);
                }
            });
        }
        LocalImage img = images.resolve(ref);
        List<Digest> diffIds = img.config().diffIds();
        List<Descriptor> blobs = img.manifest().layers();
        if (diffIds.size() != blobs.size()) {
            throw AndockException.corrupt("image " + ref + ": " + diffIds.size() + " diff_ids for " + blobs.size() + " layers");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) layers.add(new Layer(blobs.get(i), diffIds.get(i)));
        String name = img.record().dangling() ? img.id().toString() : Reference.parse(img.record().name()).familiar();
        return new Image(name, img.id(), img.config().json(), layers);
    }

    @Override
    public Optional<Image> localImage(String ref) {
        try {
            return images.has(ref, null) ? Optional.of(image(ref, null, m -> { })) : Optional.empty();
        } catch (AndockException e) {
            return Optional.empty(); // not a valid name, or content missing: no cache from it
        }
    }

    @Override
    public Path unpack(List<Layer> chain) {
        List<Digest> diffIds = chain.stream().map(Layer::diffId).toList();
        Optional<Path> have = snapshotter.rootfs(ImageConfig.chainIds(diffIds).get(diffIds.size() - 1));
        if (have.isPresent()) return have.get();
        List<Snapshotter.LayerInput> inputs = new ArrayList<>();
        for (Layer l : chain) {
            inputs.add(new Snapshotter.LayerInput(l.diffId(), MediaTypes.layerCompression(l.blob().mediaType()),
                    () -> content.open(l.blob().digest())));
        }
        return snapshotter.prepare(inputs, ApplyOptions.defaults().withMaxBytes(config.maxLayerBytes()),
                Snapshotter.Listener.NONE);
    }

    @Override
    public Descriptor storeBlob(Path file, String mediaType) {
        try (InputStream in = Files.newInputStream(file)) {
            return content.write(in, mediaType);
        } catch (IOException e) {
            throw AndockException.wrap("store layer", e);
        }
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return content.exists(digest);
    }

    @Override
    public Digest commit(JsonObject imageConfig, List<Layer> layers, List<String> tags) {
        return commit(imageConfig, layers, tags, null);
    }

    @Override
    public Digest commit(JsonObject imageConfig, List<Layer> layers, List<String> tags, Digest parent) {
        List<Reference> refs = new ArrayList<>();
        for (String t : tags) {
            Reference r = Reference.parse(t);
            if (r.digest() != null) throw AndockException.invalid("invalid tag " + t + ": a tag cannot hold a digest");
            refs.add(r);
        }
        Descriptor cfg = content.write(Json.writeBytes(imageConfig.map()), MediaTypes.OCI_CONFIG);
        List<Object> layerJson = new ArrayList<>();
        for (Layer l : layers) layerJson.add(l.blob().withMediaType(ociLayerType(l.blob().mediaType())).toJson());
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", cfg.toJson());
        manifest.put("layers", layerJson);
        RawManifest raw = RawManifest.of(Json.writeBytes(manifest), MediaTypes.OCI_MANIFEST);
        content.write(raw.bytes(), raw.mediaType());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ImageRecord.SOURCE, "build");
        if (parent != null) labels.put(ImageRecord.PARENT, parent.toString());
        if (refs.isEmpty()) images.record(raw.digest().toString(), raw.descriptor(), raw.descriptor(), labels);
        for (Reference r : refs) images.record(r.toString(), raw.descriptor(), raw.descriptor(), labels);
        if (!layers.isEmpty()) images.rootfs(cfg.digest().toString());
        return cfg.digest();
    }

    /** Docker layer media types become their OCI equivalents (same bytes), as an OCI manifest wants. */
    static String ociLayerType(String mt) {
        if (MediaTypes.DOCKER_LAYER_GZIP.equals(mt)) return MediaTypes.OCI_LAYER_GZIP;
        if (MediaTypes.DOCKER_LAYER_ZSTD.equals(mt)) return MediaTypes.OCI_LAYER_ZSTD;
        return mt;
    }

    @Override
    public Driver driver(String name, Platform platform) {
        Drivers all = drivers.get();
        String chosen = name != null ? name : all.defaultName();
        if ("runc".equals(chosen) || "crun".equals(chosen)) chosen = "oci";
        boolean foreign = !platform.architecture().equals(Platform.host().architecture());
        if (foreign && !chosen.equals("proot") && !binfmtQemu()) {
            if (name != null) {
                throw new AndockException(AndockException.Kind.UNSUPPORTED, "RUN for " + platform + " with the "
                        + chosen + " driver needs a binfmt_misc qemu handler, which this host lacks; use --driver proot "
                        + "(qemu-user emulation)");
            }
            chosen = "proot";
        }
        return all.get(chosen);
    }

    private static boolean binfmtQemu() {
        try (var ds = Files.newDirectoryStream(Path.of("/proc/sys/fs/binfmt_misc"), "qemu-*")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public AutoCloseable lease() {
        return content.gcLock(false);
    }

    @Override
    public Path workDir() {
        return config.root().resolve("build-work");
    }

    @Override
    public Path cacheDir() {
        return config.root().resolve("build-cache");
    }
}
