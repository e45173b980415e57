package io.andock.image;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An image manifest (OCI or Docker schema 2): one config blob and the layers, bottom first. */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations)
        implements JsonWritable {

    public Manifest {
        layers = List.copyOf(layers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /**
     * Parses manifest bytes. {@code contentType} is the media type the transport announced (registry
     * {@code Content-Type}, index descriptor); it is used when the document has no {@code mediaType} field, as in
     * umoci's manifests.
     */
    public static Manifest parse(byte[] raw, String contentType) {
        JsonObject o = JsonObject.parse(raw);
        if (o.number("schemaVersion", 0) != 2) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED,
                    "unsupported manifest schema version " + o.number("schemaVersion", 0) + " (only schema 2 and OCI are supported)");
        }
        String mt = o.string("mediaType", contentType);
        if (mt == null || mt.isEmpty()) mt = MediaTypes.OCI_MANIFEST;
        if (MediaTypes.isIndex(mt) || o.has("manifests")) throw AndockException.invalid("expected an image manifest, got an index");
        if (!o.has("config")) throw AndockException.invalid("manifest has no config");
        List<Descriptor> layers = new ArrayList<>();
        for (JsonObject l : o.objects("layers")) layers.add(Descriptor.fromJson(l));
        return new Manifest(mt, Descriptor.fromJson(o.object("config")), layers, o.stringMap("annotations"));
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", mediaType);
        m.put("config", config.toJson());
        List<Object> ls = new ArrayList<>();
        for (Descriptor d : layers) ls.add(d.toJson());
        m.put("layers", ls);
        if (!annotations.isEmpty()) m.put("annotations", new java.util.TreeMap<>(annotations));
        return m;
    }
}
