package io.andock.container;

import io.andock.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One entry of an OCI spec's {@code mounts}: {@code {destination, type, source, options}}. */
public record OciMount(String destination, String type, String source, List<String> options) {

    public OciMount {
        options = List.copyOf(options);
    }

    public static OciMount bind(String source, String destination, boolean readOnly) {
        return new OciMount(destination, "bind", source, readOnly ? List.of("rbind", "ro") : List.of("rbind", "rw"));
    }

    public boolean isBind() {
        return "bind".equals(type) || options.contains("bind") || options.contains("rbind");
    }

    public boolean readOnly() {
        return options.contains("ro");
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        m.put("options", options);
        return m;
    }

    public static OciMount fromJson(JsonObject o) {
        List<String> opts = o.strings("options");
        return new OciMount(o.string("destination"), o.string("type", "bind"), o.string("source", ""),
                opts == null ? List.of() : opts);
    }
}
