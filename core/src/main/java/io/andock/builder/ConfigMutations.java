package io.andock.builder;

import io.andock.AndockException;
import io.andock.dockerfile.GoDuration;
import io.andock.dockerfile.Instruction;
import io.andock.image.Platform;
import io.andock.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The changes metadata instructions make to an image config document (Docker image JSON: {@code config.Env},
 * {@code config.Cmd}, …, {@code history}). Pure functions on plain JSON maps (see {@link Json}); each takes the
 * whole image config and changes it in place, so callers work on a {@link #copy}.
 */
public final class ConfigMutations {
    /** The shell of shell-form commands when no SHELL was given. */
    public static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    private ConfigMutations() {
    }

    /** The config of an image built FROM scratch. */
    public static Map<String, Object> scratch(Platform p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", p.architecture());
        m.put("os", p.os());
        if (!p.variant().isEmpty()) m.put("variant", p.variant());
        m.put("config", new LinkedHashMap<>());
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", new ArrayList<>());
        m.put("rootfs", rootfs);
        m.put("history", new ArrayList<>());
        return m;
    }

    /** A deep, mutable copy. */
    public static Map<String, Object> copy(Map<String, Object> image) {
        return Json.parseObject(Json.writeBytes(image));
    }

    /** The {@code config} object (Env, Cmd, …), created when missing. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> run(Map<String, Object> image) {
        Object c = image.get("config");
        if (!(c instanceof Map)) {
            c = new LinkedHashMap<String, Object>();
            image.put("config", c);
        }
        return (Map<String, Object>) c;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sub(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Map)) {
            v = new LinkedHashMap<String, Object>();
            m.put(key, v);
        }
        return (Map<String, Object>) v;
    }

    /** {@code config.Env} as an ordered map. */
    public static Map<String, String> env(Map<String, Object> image) {
        Map<String, String> out = new LinkedHashMap<>();
        Object v = run(image).get("Env");
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof String s)) continue;
                int eq = s.indexOf('=');
                if (eq < 0) out.put(s, "");
                else out.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        return out;
    }

    /** Sets one variable, keeping its place when it already exists (ENV). */
    public static void setEnv(Map<String, Object> image, String key, String value) {
        Map<String, String> env = env(image);
        env.put(key, value);
        List<Object> list = new ArrayList<>();
        env.forEach((k, v) -> list.add(k + "=" + v));
        run(image).put("Env", list);
    }

    public static void setLabel(Map<String, Object> image, String key, String value) {
        sub(run(image), "Labels").put(key, value);
    }

    /** The shell for shell-form commands: {@code config.Shell} or {@link #DEFAULT_SHELL}. */
    public static List<String> shell(Map<String, Object> image) {
        Object v = run(image).get("Shell");
        if (v instanceof List<?> l && !l.isEmpty()) return l.stream().map(String::valueOf).toList();
        return DEFAULT_SHELL;
    }

    /** Normalises EXPOSE arguments: {@code 80} → {@code 80/tcp}, ranges expanded, protocol lower case. */
    public static List<String> ports(List<String> specs) {
        TreeSet<String> out = new TreeSet<>();
        for (String spec : specs) {
            String proto = "tcp";
            String port = spec;
            int slash = spec.indexOf('/');
            if (slash >= 0) {
                proto = spec.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
                port = spec.substring(0, slash);
            }
            if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
                throw AndockException.invalid("invalid proto: " + proto);
            }
            if (port.contains(":")) throw AndockException.invalid("invalid containerPort: " + port);
            int dash = port.indexOf('-');
            try {
                int lo = Integer.parseInt(dash < 0 ? port : port.substring(0, dash));
                int hi = dash < 0 ? lo : Integer.parseInt(port.substring(dash + 1));
                if (lo < 0 || hi > 65535 || hi < lo) throw new NumberFormatException();
                for (int p = lo; p <= hi; p++) out.add(p + "/" + proto);
            } catch (NumberFormatException e) {
                throw AndockException.invalid("invalid containerPort: " + port);
            }
        }
        return new ArrayList<>(out);
    }

    public static void expose(Map<String, Object> image, List<String> normalised) {
        Map<String, Object> ports = sub(run(image), "ExposedPorts");
        for (String p : normalised) ports.put(p, new LinkedHashMap<>());
    }

    public static void volumes(Map<String, Object> image, List<String> paths) {
        Map<String, Object> vols = sub(run(image), "Volumes");
        for (String p : paths) vols.put(p, new LinkedHashMap<>());
    }

    /** Docker's health config JSON: zero durations and retries left out. */
    public static Map<String, Object> healthcheck(Instruction.Healthcheck h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Test", new ArrayList<>(h.test()));
        if (h.intervalNanos() != 0) m.put("Interval", h.intervalNanos());
        if (h.timeoutNanos() != 0) m.put("Timeout", h.timeoutNanos());
        if (h.startPeriodNanos() != 0) m.put("StartPeriod", h.startPeriodNanos());
        if (h.startIntervalNanos() != 0) m.put("StartInterval", h.startIntervalNanos());
        if (h.retries() != 0) m.put("Retries", (long) h.retries());
        return m;
    }

    /** Appends a history entry; {@code created} may be null (left out). */
    @SuppressWarnings("unchecked")
    public static void history(Map<String, Object> image, String createdBy, String created, boolean emptyLayer) {
        Object h = image.get("history");
        if (!(h instanceof List)) {
            h = new ArrayList<>();
            image.put("history", h);
        }
        Map<String, Object> e = new LinkedHashMap<>();
        if (created != null) e.put("created", created);
        e.put("created_by", createdBy);
        if (emptyLayer) e.put("empty_layer", true);
        ((List<Object>) h).add(e);
        if (created != null) image.put("created", created);
    }

    /** Go's {@code %q} of a string slice, as Docker writes commands in history: {@code ["sh" "-c" "x"]}. */
    public static String quoted(List<String> l) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) b.append(' ');
            Json.quote(b, l.get(i));
        }
        return b.append(']').toString();
    }

    /** Go's {@code %v} of a string slice: {@code [/bin/sh -c]}. */
    public static String plain(List<String> l) {
        return "[" + String.join(" ", l) + "]";
    }

    /** The {@code HEALTHCHECK &{…}} text Docker's classic builder writes into history. */
    public static String healthcheckText(Instruction.Healthcheck h) {
        return "HEALTHCHECK &{" + quoted(h.test()) + " \"" + GoDuration.format(h.intervalNanos()) + "\" \""
                + GoDuration.format(h.timeoutNanos()) + "\" \"" + GoDuration.format(h.startPeriodNanos()) + "\" \""
                + GoDuration.format(h.startIntervalNanos()) + "\" '\\x" + String.format("%02x", h.retries()) + "'}";
    }
}
