package io.andock.image;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/** An OCI content descriptor: what a manifest or index says about a blob it points at. */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations)
        implements JsonWritable {

    public Descriptor {
        if (size < 0) throw AndockException.invalid("invalid descriptor size " + size);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, Map.of());
    }

    public static Descriptor fromJson(JsonObject o) {
        if (!o.has("digest")) throw AndockException.invalid("descriptor without a digest");
        JsonObject p = o.object("platform");
        Platform platform = o.has("platform") ? Platform.fromJson(p) : null;
        return new Descriptor(o.string("mediaType"), Digest.parse(o.string("digest")), o.number("size", -1),
                platform, o.stringMap("annotations"));
    }

    public Descriptor withMediaType(String mt) {
        return new Descriptor(mt, digest, size, platform, annotations);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (mediaType != null) m.put("mediaType", mediaType);
        m.put("digest", digest.toString());
        m.put("size", size);
        if (!annotations.isEmpty()) m.put("annotations", new java.util.TreeMap<>(annotations));
        if (platform != null) m.put("platform", platform.toJson());
        return m;
    }
}
