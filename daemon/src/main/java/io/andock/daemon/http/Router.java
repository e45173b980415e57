package io.andock.daemon.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes {@code METHOD /path/{param}/...} to handlers. A trailing {@code {name*}} takes the rest of the path,
 * slashes included (image names: {@code /images/127.0.0.1:5000/busybox/json}). First match wins.
 */
public final class Router {
    /** One endpoint. */
    @FunctionalInterface
    public interface Route {
        void handle(Exchange x) throws Exception;
    }

    private record Entry(String method, String[] segments, Route route) {
        boolean greedy() {
            for (String s : segments) if (s.endsWith("*}")) return true;
            return false;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    public Router add(String method, String pattern, Route route) {
        entries.add(new Entry(method, split(pattern), route));
        return this;
    }

    public Router get(String pattern, Route r) { return add("GET", pattern, r); }
    public Router post(String pattern, Route r) { return add("POST", pattern, r); }
    public Router put(String pattern, Route r) { return add("PUT", pattern, r); }
    public Router delete(String pattern, Route r) { return add("DELETE", pattern, r); }
    public Router head(String pattern, Route r) { return add("HEAD", pattern, r); }

    /**
     * The segments of a still percent-encoded path, each decoded after the split: an encoded {@code %2F} stays inside
     * its parameter ({@code docker volume rm a/b} asks for volume "a/b", which the store refuses as no such volume,
     * rather than for another route).
     */
    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        if (p.isEmpty()) return new String[0];
        String[] segs = p.split("/", -1);
        for (int i = 0; i < segs.length; i++) segs[i] = decode(segs[i]);
        return segs;
    }

    /** Percent-decoding of a URL path ({@code +} is a plus there, not a space). */
    public static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // "%zz", a lone "%": the client's mistake, not a 500
            throw ApiException.badRequest("invalid escape in path: " + s);
        }
    }

    /** The matching route with its parameters, or null; {@code methodMismatch[0]} tells a 405 from a 404. */
    Match match(String method, String path, boolean[] methodMismatch) {
        String[] segs = split(path);
        for (Entry e : entries) {
            Map<String, String> params = matches(e.segments, segs);
            if (params == null) continue;
            if (e.method.equals(method)) return new Match(e.route, params);
            // a greedy route (DELETE /containers/{link*}) matches nearly any path under its prefix: that it is not
            // this method says nothing about the path, which is then unknown (404), as for dockerd
            if (!e.greedy()) methodMismatch[0] = true;
        }
        return null;
    }

    record Match(Route route, Map<String, String> params) {}

    private static Map<String, String> matches(String[] pattern, String[] segs) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = 0;
        for (int p = 0; p < pattern.length; p++) {
            String ps = pattern[p];
            if (ps.startsWith("{") && ps.endsWith("*}")) {
                // greedy: the rest minus the fixed segments after it
                int tail = pattern.length - p - 1;
                int end = segs.length - tail;
                if (end <= i) return null;
                String rest = String.join("/", java.util.Arrays.copyOfRange(segs, i, end));
                if (rest.replace("/", "").isEmpty()) return null; // as {id}: an empty name matches no route
                params.put(ps.substring(1, ps.length() - 2), rest);
                i = end;
                continue;
            }
            if (i >= segs.length) return null;
            if (ps.startsWith("{") && ps.endsWith("}")) {
                if (segs[i].isEmpty()) return null;
                params.put(ps.substring(1, ps.length() - 1), segs[i]);
            } else if (!ps.equals(segs[i])) {
                return null;
            }
            i++;
        }
        return i == segs.length ? params : null;
    }
}
