package io.andock.daemon.http;

import io.andock.json.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request's query string, with dockerd's readings of booleans, integers and {@code filters}. */
public final class Query {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    public Query(String raw) {
        if (raw == null || raw.isEmpty()) return;
        for (String part : raw.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String k = decode(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : decode(part.substring(eq + 1));
            values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed query string: " + s);
        }
    }

    public String get(String key) {
        List<String> l = values.get(key);
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    public String get(String key, String dflt) {
        String v = get(key);
        return v == null || v.isEmpty() ? dflt : v;
    }

    public List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** dockerd's BoolValue: "", 0, no, false, none are false; anything else is true; absent is {@code dflt}. */
    public boolean bool(String key, boolean dflt) {
        String v = get(key);
        if (v == null) return dflt;
        String s = v.trim().toLowerCase();
        return !(s.isEmpty() || s.equals("0") || s.equals("no") || s.equals("false") || s.equals("none"));
    }

    /** {@code key} as an int, or {@code dflt} when absent. */
    public int integer(String key, int dflt) {
        Integer v = integer(key);
        return v == null ? dflt : v;
    }

    public Integer integer(String key) {
        String v = get(key);
        if (v == null || v.isEmpty()) return null;
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid value for " + key + ": " + v);
        }
    }

    /**
     * {@code filters} in both forms clients send: the map form {@code {"reference":{"bb":true}}} (CLI) and the list
     * form {@code {"label":["a=b"]}} (docker-java). Returns key → values.
     */
    public Map<String, List<String>> filters() {
        String raw = get("filters");
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) return out;
        Object parsed;
        try {
            parsed = Json.parse(raw);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("invalid filter: " + raw);
        }
        if (!(parsed instanceof Map<?, ?> m)) throw ApiException.badRequest("invalid filter: " + raw);
        for (Map.Entry<?, ?> e : m.entrySet()) {
            List<String> vals = new ArrayList<>();
            if (e.getValue() instanceof Map<?, ?> vm) {
                for (Map.Entry<?, ?> x : vm.entrySet()) if (!Boolean.FALSE.equals(x.getValue())) vals.add(String.valueOf(x.getKey()));
            } else if (e.getValue() instanceof List<?> l) {
                for (Object x : l) vals.add(String.valueOf(x));
            } else if (e.getValue() != null) {
                vals.add(String.valueOf(e.getValue()));
            }
            out.put(String.valueOf(e.getKey()), vals);
        }
        return out;
    }
}
