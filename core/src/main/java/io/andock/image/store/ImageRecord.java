package io.andock.image.store;

import io.andock.image.Descriptor;
import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A thin image record (containerd's {@code images.Image}): a name and the descriptor of what was pulled, saved,
 * loaded or imported. Everything else (config, layers, the image ID) is found by walking content from the target.
 *
 * @param name     the full normalised reference ({@code docker.io/library/busybox:latest},
 *                 {@code docker.io/library/busybox@sha256:…}), or for an untagged (dangling) image its target's
 *                 digest string {@code sha256:…}
 * @param target   the manifest or index as it came from the source
 * @param manifest for an index target, the platform manifest that was selected and unpacked; otherwise the target
 * @param labels   free-form; {@link #SOURCE} says where it came from (registry, load, import)
 */
public record ImageRecord(String name, Descriptor target, Descriptor manifest, Instant created, Instant updated,
                          Map<String, String> labels) implements JsonWritable {
    public static final String SOURCE = "io.andock.source";
    /** The image ID of the image this one was made from locally ({@code docker commit}): Docker's {@code Parent}. */
    public static final String PARENT = "io.andock.parent";

    public ImageRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (manifest == null) manifest = target;
    }

    /** True for a record that keeps an untagged image (Docker's {@code <none>:<none>}). */
    public boolean dangling() {
        return name.startsWith("sha256:");
    }

    public ImageRecord withName(String newName, Instant now) {
        return new ImageRecord(newName, target, manifest, now, now, labels);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("target", target.toJson());
        if (!manifest.equals(target)) m.put("manifest", manifest.toJson());
        m.put("created", io.andock.Timestamps.format(created));
        m.put("updated", io.andock.Timestamps.format(updated));
        if (!labels.isEmpty()) m.put("labels", new TreeMap<>(labels));
        return m;
    }

    public static ImageRecord fromJson(JsonObject o) {
        Descriptor target = Descriptor.fromJson(o.object("target"));
        Descriptor manifest = o.has("manifest") ? Descriptor.fromJson(o.object("manifest")) : target;
        return new ImageRecord(o.string("name"), target, manifest, io.andock.Timestamps.parse(o.string("created")),
                io.andock.Timestamps.parse(o.string("updated")), o.stringMap("labels"));
    }
}
