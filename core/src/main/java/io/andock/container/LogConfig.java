package io.andock.container;

import io.andock.AndockException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A container's logging driver and its options ({@code --log-driver}, {@code --log-opt}, the API's
 * {@code HostConfig.LogConfig}), checked as dockerd checks them. andock keeps one log format whatever the driver
 * ({@code io.andock.task.LogFile}); the drivers differ in what is kept:
 * <ul>
 * <li>{@code json-file} (the default): everything, unless {@code max-size} is given; then the log is rotated
 *     once it would pass that size, keeping {@code max-file} files (default 1: the log starts again).
 *     Sizes as dockerd reads them for json-file: decimal ({@code 1k} = 1000 bytes).</li>
 * <li>{@code local}: rotated by default, as dockerd's: {@code max-size} 20 MiB, {@code max-file} 5 (binary
 *     units). Rotated files are not compressed ({@code compress} is accepted and has no effect).</li>
 * <li>{@code none}: nothing is kept; {@code logs} answers that the driver does not support reading.</li>
 * </ul>
 *
 * @param type   {@code json-file}, {@code local} or {@code none}
 * @param config the options as given (shown in inspect)
 */
public record LogConfig(String type, Map<String, String> config) {
    public static final LogConfig DEFAULT = new LogConfig("json-file", Map.of());
    /** The most files a log may be rotated into (bounds the work of a rotation and of a read). */
    public static final int MAX_FILES = 100;
    private static final List<String> JSON_FILE_OPTS = List.of("max-file", "max-size", "compress", "labels", "labels-regex",
            "env", "env-regex", "tag");
    private static final List<String> LOCAL_OPTS = List.of("max-file", "max-size", "compress");

    public LogConfig {
        if (type == null || type.isEmpty()) type = "json-file";
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        switch (type) {
            case "json-file" -> check(type, config, JSON_FILE_OPTS);
            case "local" -> check(type, config, LOCAL_OPTS);
            case "none" -> {
                if (!config.isEmpty()) {
                    throw AndockException.invalid("unknown log opt '" + config.keySet().iterator().next() + "' for none log driver");
                }
            }
            default -> throw AndockException.invalid("error looking up logging plugin " + StoreNames.printable(type)
                    + ": plugin \"" + StoreNames.printable(type) + "\" not found");
        }
        maxSize(type, config);
        maxFiles(type, config);
    }

    /** {@code --log-driver D} and {@code --log-opt K=V}...; a null driver is json-file. */
    public static LogConfig parse(String driver, List<String> opts) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String o : opts == null ? List.<String>of() : opts) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw AndockException.invalid("invalid key-value pair for --log-opt: " + StoreNames.printable(o));
            m.put(o.substring(0, eq), o.substring(eq + 1));
        }
        return new LogConfig(driver, m);
    }

    /** Whether a log is kept at all. */
    public boolean keepsLogs() {
        return !type.equals("none");
    }

    /** The size past which the log is rotated, in bytes; 0: never rotated. */
    public long maxSize() {
        return maxSize(type, config);
    }

    /** How many files a rotated log keeps (the one being written included). */
    public int maxFiles() {
        return maxFiles(type, config);
    }

    private static void check(String type, Map<String, String> config, List<String> known) {
        for (String k : config.keySet()) {
            if (!known.contains(k)) {
                throw AndockException.invalid("unknown log opt '" + StoreNames.printable(k) + "' for " + type + " log driver");
            }
        }
    }

    private static long maxSize(String type, Map<String, String> config) {
        String s = config.get("max-size");
        if (s == null) return type.equals("local") ? 20L << 20 : 0;
        long n = parseSize(s, !type.equals("local"));
        if (n <= 0) throw AndockException.invalid("max-size must be a positive number");
        return n;
    }

    private static int maxFiles(String type, Map<String, String> config) {
        String s = config.get("max-file");
        if (s == null) return type.equals("local") ? 5 : 1;
        int n;
        try {
            n = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw AndockException.invalid("strconv.Atoi: parsing " + quoted(s) + ": invalid syntax");
        }
        if (n < 1) throw AndockException.invalid("max-file cannot be less than 1");
        if (n > MAX_FILES) throw AndockException.invalid("max-file cannot be more than " + MAX_FILES);
        return n;
    }

    /** Docker's human sizes: {@code 10}, {@code 10k}, {@code 1.5MB}, {@code 2MiB}, {@code 1g}; decimal or binary per driver. */
    static long parseSize(String s, boolean decimal) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
        String num = t.substring(0, i), unit = t.substring(i).trim();
        if (num.isEmpty() || num.length() > 20) throw AndockException.invalid("invalid size: " + quoted(s));
        boolean binary = unit.endsWith("ib") || (!decimal && !unit.isEmpty());
        if (unit.endsWith("ib")) unit = unit.substring(0, unit.length() - 2);
        else if (unit.endsWith("b")) unit = unit.substring(0, unit.length() - 1);
        int power = switch (unit) {
            case "" -> 0;
            case "k" -> 1;
            case "m" -> 2;
            case "g" -> 3;
            case "t" -> 4;
            case "p" -> 5;
            default -> throw AndockException.invalid("invalid size: " + quoted(s));
        };
        double v;
        try {
            v = Double.parseDouble(num) * Math.pow(binary ? 1024 : 1000, power);
        } catch (NumberFormatException e) {
            throw AndockException.invalid("invalid size: " + quoted(s));
        }
        if (v >= Long.MAX_VALUE) throw AndockException.invalid("invalid size: " + quoted(s));
        return (long) v;
    }

    private static String quoted(String s) {
        return "'" + StoreNames.printable(s) + "'";
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", type);
        m.put("Config", config);
        return m;
    }
}
