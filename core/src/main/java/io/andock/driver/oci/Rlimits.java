package io.andock.driver.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a spec's {@code process.rlimits} within what the runtime may set. Raising a hard limit needs
 * CAP_SYS_RESOURCE, which sandboxes (and Android's app domain) often lack: runc then fails with "error setting
 * rlimit type 7: operation not permitted". Without the capability, each limit is lowered to this process's hard
 * limit (the runtime inherits it).
 */
public final class Rlimits {
    private static final int CAP_SYS_RESOURCE = 24;

    /** {@code /proc/self/limits} row names by OCI rlimit type. */
    private static final Map<String, String> ROWS = Map.ofEntries(
            Map.entry("RLIMIT_CPU", "Max cpu time"), Map.entry("RLIMIT_FSIZE", "Max file size"),
            Map.entry("RLIMIT_DATA", "Max data size"), Map.entry("RLIMIT_STACK", "Max stack size"),
            Map.entry("RLIMIT_CORE", "Max core file size"), Map.entry("RLIMIT_RSS", "Max resident set"),
            Map.entry("RLIMIT_NPROC", "Max processes"), Map.entry("RLIMIT_NOFILE", "Max open files"),
            Map.entry("RLIMIT_MEMLOCK", "Max locked memory"), Map.entry("RLIMIT_AS", "Max address space"),
            Map.entry("RLIMIT_LOCKS", "Max file locks"), Map.entry("RLIMIT_SIGPENDING", "Max pending signals"),
            Map.entry("RLIMIT_MSGQUEUE", "Max msgqueue size"), Map.entry("RLIMIT_NICE", "Max nice priority"),
            Map.entry("RLIMIT_RTPRIO", "Max realtime priority"), Map.entry("RLIMIT_RTTIME", "Max realtime timeout"));

    private Rlimits() {}

    /** The rlimits this process may give a child: clamped to its own hard limits unless it has CAP_SYS_RESOURCE. */
    public static List<Object> forHost(List<?> rlimits) {
        if (hasSysResource()) return new ArrayList<>(rlimits);
        return clamp(rlimits, read(Path.of("/proc/self/limits")));
    }

    /** Each {type, soft, hard} with hard ≤ the row's hard limit in {@code procLimits} (text of /proc/PID/limits), soft ≤ hard. */
    static List<Object> clamp(List<?> rlimits, String procLimits) {
        List<Object> out = new ArrayList<>();
        for (Object o : rlimits) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("type") instanceof String type) || ROWS.get(type) == null) {
                out.add(o);
                continue;
            }
            long max = hardLimit(procLimits, ROWS.get(type));
            Map<String, Object> r = new LinkedHashMap<>();
            long hard = Math.min(number(m.get("hard")), max);
            r.put("type", type);
            r.put("hard", hard);
            r.put("soft", Math.min(number(m.get("soft")), hard));
            out.add(r);
        }
        return out;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }

    /** The hard column of a row; unlimited (or an unknown row) is Long.MAX_VALUE. */
    static long hardLimit(String procLimits, String row) {
        for (String line : procLimits.split("\n")) {
            if (!line.startsWith(row)) continue;
            String[] f = line.substring(row.length()).trim().split("\\s+");
            if (f.length < 2 || f[1].equals("unlimited")) return Long.MAX_VALUE;
            try {
                return Long.parseLong(f[1]);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
        return Long.MAX_VALUE;
    }

    static boolean hasSysResource() {
        for (String line : read(Path.of("/proc/self/status")).split("\n")) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << CAP_SYS_RESOURCE)) != 0;
            }
        }
        return false;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
