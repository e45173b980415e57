package io.andock.cli;

import io.andock.json.Json;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Go's text/template that {@code --format} is used with in practice: {@code {{.Field}}},
 * {@code {{.A.B}}}, {@code {{json .}}}, {@code {{json .Field}}}, {@code \t} and a leading {@code table}; and the
 * word {@code json} alone for one JSON object per line.
 */
final class Template {
    private static final Pattern ACTION = Pattern.compile("\\{\\{\\s*(json\\s+)?(\\.[\\w.]*)\\s*}}");
    private final String text;
    final boolean table;
    final boolean json;

    Template(String format) {
        String f = format.trim();
        json = f.equals("json");
        table = f.startsWith("table");
        text = (table ? f.substring(5).trim() : format).replace("\\t", "\t").replace("\\n", "\n");
    }

    String render(Map<String, Object> value) {
        if (json) return Json.write(value);
        Matcher m = ACTION.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Object v = lookup(value, m.group(2));
            String s = m.group(1) != null ? Json.write(v) : v == null ? "<no value>" : (v instanceof Map || v instanceof Iterable ? goPrint(v) : String.valueOf(v));
            m.appendReplacement(b, Matcher.quoteReplacement(s));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The header line of a {@code table} format: each {@code {{.Field}}} becomes its upper-case name. */
    String header() {
        Matcher m = ACTION.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String path = m.group(2);
            String name = path.substring(path.lastIndexOf('.') + 1);
            m.appendReplacement(b, Matcher.quoteReplacement(headerName(name)));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String headerName(String field) {
        return switch (field) {
            case "ID" -> "IMAGE ID";
            case "CreatedSince" -> "CREATED";
            default -> field.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase();
        };
    }

    @SuppressWarnings("unchecked")
    private static Object lookup(Object v, String path) {
        if (path.equals(".")) return v;
        for (String part : path.substring(1).split("\\.")) {
            if (!(v instanceof Map)) return null;
            v = ((Map<String, Object>) v).get(part);
        }
        return v;
    }

    private static String goPrint(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("map[");
            boolean first = true;
            for (Map.Entry<?, ?> e : new java.util.TreeMap<>(m).entrySet()) {
                if (!first) b.append(' ');
                first = false;
                b.append(e.getKey()).append(':').append(goPrint(e.getValue()));
            }
            return b.append(']').toString();
        }
        if (v instanceof Iterable<?> it) {
            StringBuilder b = new StringBuilder("[");
            boolean first = true;
            for (Object o : it) {
                if (!first) b.append(' ');
                first = false;
                b.append(goPrint(o));
            }
            return b.append(']').toString();
        }
        return String.valueOf(v);
    }
}
