package io.andock.builder;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.container.TreeCopy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mutable state of one stage while its steps are walked: the layers so far, the history as it will be written
 * (each step's entry with the {@code created} time of the run that made it, so cache hits keep the image ID), and,
 * from the first cache miss on, the working root filesystem with the {@link TreeState} of its last commit.
 */
final class StageRun {
    private final Path workDir;
    private final BuildBackend backend;
    private final List<BuildBackend.Layer> layers;
    private final List<Object> history;
    private Path rootfs;
    private TreeState state;
    private JsonObject config;

    /**
     * @param baseConfig the config the stage starts from (null: scratch)
     * @param baseLayers the base's layers
     * @param workDir    this stage's scratch directory
     */
    StageRun(JsonObject baseConfig, List<BuildBackend.Layer> baseLayers, Path workDir, BuildBackend backend) {
        this.workDir = workDir;
        this.backend = backend;
        this.layers = new ArrayList<>(baseLayers);
        this.history = new ArrayList<>(baseConfig == null ? List.of() : baseConfig.list("history"));
        this.config = baseConfig;
    }

    List<BuildBackend.Layer> layers() {
        return List.copyOf(layers);
    }

    /** The config after the last step (the base's before any). */
    JsonObject config() {
        return config;
    }

    /** The working rootfs, made on first use from the layers so far (a private copy of their snapshot). */
    Path rootfs() {
        if (rootfs != null) return rootfs;
        Path r = workDir.resolve("rootfs");
        try {
            Files.createDirectories(workDir);
            if (layers.isEmpty()) Files.createDirectory(r);
            else TreeCopy.copy(backend.unpack(layers), r);
        } catch (IOException e) {
            throw AndockException.wrap("prepare the working root filesystem", e);
        }
        rootfs = r;
        state = TreeState.scan(r);
        return r;
    }

    /** The root filesystem as it is now, for {@code COPY --from} this stage: the working one, or an unpacked chain. */
    Path currentRootfs() {
        if (rootfs != null) return rootfs;
        return layers.isEmpty() ? rootfs() : backend.unpack(layers);
    }

    /**
     * Captures what the step did to the working rootfs as a layer, stores it and returns it, or null when nothing
     * changed.
     */
    BuildBackend.Layer commitDiff(LayerDiff diff, BuildRequest.Compression compression) {
        TreeState after = TreeState.scan(rootfs);
        Map<String, Boolean> changes = LayerDiff.changes(state, after);
        state = after;
        if (changes.isEmpty()) return null;
        Path file = workDir.resolve("layer.blob");
        try {
            LayerBlob.Written w = LayerBlob.write(diff, changes, after, rootfs, file, compression);
            return new BuildBackend.Layer(backend.storeBlob(file, w.mediaType()), w.diffId());
        } catch (IOException e) {
            throw AndockException.wrap("write layer", e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // removed with the build's scratch
            }
        }
    }

    /**
     * Records a step: its layer (or none) and its history entry, taken from the step's config with {@code created}
     * set and {@code empty_layer} when the step made no layer. Returns the image config after the step.
     */
    @SuppressWarnings("unchecked")
    JsonObject record(Step step, BuildBackend.Layer layer, String created) {
        if (layer != null) layers.add(layer);
        Map<String, Object> m = ConfigMutations.copy(step.config().map());
        List<Object> h = (List<Object>) m.get("history");
        Map<String, Object> entry = (Map<String, Object>) h.get(h.size() - 1);
        if (created != null) entry.put("created", created);
        else entry.remove("created");
        if (layer == null) entry.put("empty_layer", true);
        else entry.remove("empty_layer");
        history.add(entry);
        m.put("history", new ArrayList<>(history));
        Map<String, Object> rootfsJson = ConfigMutations.sub(m, "rootfs");
        rootfsJson.put("type", "layers");
        List<Object> diffIds = new ArrayList<>();
        for (BuildBackend.Layer l : layers) diffIds.add(l.diffId().toString());
        rootfsJson.put("diff_ids", diffIds);
        if (created != null) m.put("created", created);
        config = new JsonObject(m);
        return config;
    }

    /** The image ID the config would have. */
    static Digest id(JsonObject config) {
        return Digest.sha256(Json.writeBytes(config.map()));
    }
}
