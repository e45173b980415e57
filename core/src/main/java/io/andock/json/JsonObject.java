package io.andock.json;

import io.andock.AndockException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed, null-tolerant reads from a parsed JSON object; a wrong type is an invalid-argument error naming the key. */
public record JsonObject(Map<String, Object> map) {

    public static JsonObject of(Object parsed) {
        if (parsed == null) return new JsonObject(Map.of());
        if (!(parsed instanceof Map)) throw AndockException.invalid("invalid JSON: expected an object");
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) parsed;
        return new JsonObject(m);
    }

    public static JsonObject parse(byte[] utf8) {
        return of(Json.parse(utf8));
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    public String string(String key) {
        Object v = map.get(key);
        if (v == null || v instanceof String) return (String) v;
        throw AndockException.invalid("invalid JSON: \"" + key + "\" is not a string");
    }

    public String string(String key, String dflt) {
        String v = string(key);
        return v == null ? dflt : v;
    }

    public long number(String key, long dflt) {
        Object v = map.get(key);
        if (v == null) return dflt;
        if (v instanceof java.math.BigDecimal d) {
            // longValue() would wrap 2^64+1 to 1 and drop a fraction: a size from outside must be read exactly
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw AndockException.invalid("invalid JSON: \"" + key + "\" is not an integer in range: " + d);
            }
        }
        if (v instanceof Number n) return n.longValue();
        throw AndockException.invalid("invalid JSON: \"" + key + "\" is not a number");
    }

    public boolean bool(String key) {
        Object v = map.get(key);
        return v instanceof Boolean b && b;
    }

    public JsonObject object(String key) {
        Object v = map.get(key);
        if (v == null || v instanceof Map) return of(v);
        throw AndockException.invalid("invalid JSON: \"" + key + "\" is not an object");
    }

    public List<JsonObject> objects(String key) {
        List<JsonObject> out = new ArrayList<>();
        for (Object o : list(key)) out.add(of(o));
        return out;
    }

    public List<Object> list(String key) {
        Object v = map.get(key);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return Collections.unmodifiableList(l);
        throw AndockException.invalid("invalid JSON: \"" + key + "\" is not an array");
    }

    /** A list of strings, or null when absent (Docker distinguishes an absent Cmd from an empty one). */
    public List<String> strings(String key) {
        Object v = map.get(key);
        if (v == null) return null;
        List<String> out = new ArrayList<>();
        for (Object o : list(key)) {
            if (!(o instanceof String str)) throw AndockException.invalid("invalid JSON: \"" + key + "\" is not a list of strings");
            out.add(str);
        }
        return out;
    }

    public Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : object(key).map().entrySet()) {
            if (e.getValue() instanceof String str) out.put(e.getKey(), str);
        }
        return out;
    }
}
