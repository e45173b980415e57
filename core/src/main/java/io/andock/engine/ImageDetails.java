package io.andock.engine;

import io.andock.image.Digest;
import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code image inspect} shows. {@link #toJson()} is Docker's shape (Id, RepoTags, RepoDigests, Created,
 * Config, Architecture, Variant, Os, Size, RootFS, Metadata).
 */
public record ImageDetails(Digest id, List<String> repoTags, List<String> repoDigests, String created, String author,
                           String architecture, String variant, String os, long size, JsonObject config,
                           List<Digest> layers, String lastTagTime, Digest manifest, Digest target, String parent)
        implements JsonWritable {

    public ImageDetails {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
        layers = List.copyOf(layers);
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", id.toString());
        m.put("RepoTags", repoTags);
        m.put("RepoDigests", repoDigests);
        m.put("Parent", parent == null ? "" : parent);
        m.put("Comment", "");
        m.put("Created", created == null ? "" : created);
        m.put("DockerVersion", "");
        m.put("Author", author == null ? "" : author);
        m.put("Config", config.map());
        m.put("Architecture", architecture);
        if (variant != null && !variant.isEmpty()) m.put("Variant", variant);
        m.put("Os", os);
        m.put("Size", size);
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("Type", "layers");
        List<String> ls = new ArrayList<>();
        for (Digest d : layers) ls.add(d.toString());
        rootfs.put("Layers", ls);
        m.put("RootFS", rootfs);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("LastTagTime", lastTagTime == null ? "0001-01-01T00:00:00Z" : lastTagTime);
        m.put("Metadata", meta);
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("digest", target.toString());
        m.put("Descriptor", descriptor);
        return m;
    }
}
