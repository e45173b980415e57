package io.andock.os;

import io.andock.AndockException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Finds host programs along PATH (Termux's {@code $PREFIX/bin} first there), once per process. */
public final class HostTools {
    private static final Map<String, String> FOUND = new ConcurrentHashMap<>();

    private HostTools() {}

    /** The absolute path of {@code name}, or null. */
    public static String find(String name) {
        String v = FOUND.computeIfAbsent(name, HostTools::lookup);
        return v.isEmpty() ? null : v;
    }

    public static String require(String name, String why) {
        String v = find(name);
        if (v == null) throw new AndockException(AndockException.Kind.UNAVAILABLE, why + ": " + name + " not found in PATH");
        return v;
    }

    public static String sh() {
        String s = find("sh");
        return s == null ? "/bin/sh" : s;
    }

    private static String lookup(String name) {
        String path = System.getenv("PATH");
        if (path == null) path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
        path = path + ":/usr/sbin:/sbin:/system/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            File f = new File(dir, name); // (not Files: one native call per test, see HostFs.which)
            if (f.isFile() && f.canExecute()) return Path.of(dir, name).toString();
        }
        return "";
    }

    private static volatile List<String> cleanEnv;

    /**
     * {@code env -i}, and {@code --default-signal} where env has it (coreutils 8.31+): signals the caller had
     * ignored (a daemon started with {@code &} from a script ignores SIGINT and SIGQUIT) are inherited through
     * exec, and a container must start with Docker's defaults (^C, {@code kill -s INT}). Known once per process.
     */
    public static List<String> envCleared(String why) {
        List<String> e = cleanEnv;
        if (e == null) {
            String env = require("env", why);
            Boolean named = namesOption(Path.of(env), "default-signal");
            boolean reset = named != null ? named
                    : CommandRunner.failure(List.of(env, "--default-signal", "-i", "true"), java.time.Duration.ofSeconds(10)) == null;
            cleanEnv = e = reset ? List.of(env, "--default-signal", "-i") : List.of(env, "-i");
        }
        return e;
    }

    /**
     * Whether the program's file holds the long option's name (a getopt table holds it as plain bytes): asked of the
     * file rather than of a run, as a run is a process on the path of every {@code run} (~5-10 ms). Null when the
     * file cannot be read, or is too large to read whole for this (then run it).
     */
    static Boolean namesOption(Path program, String option) {
        try {
            if (Files.size(program) > 16 << 20) return null;
            byte[] b = Files.readAllBytes(program);
            byte[] o = option.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            outer:
            for (int i = 0, last = b.length - o.length; i <= last; i++) {
                if (b[i] != o[0]) continue;
                for (int j = 1; j < o.length; j++) if (b[i + j] != o[j]) continue outer;
                return true;
            }
            return false;
        } catch (java.io.IOException | RuntimeException ex) {
            return null;
        }
    }

    /** True when this process runs as uid 0. */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || uid() == 0;
    }

    static long uid() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) return Long.parseLong(l.split("\\s+")[1]);
            }
        } catch (Exception ignored) {
            // unknown
        }
        return -1;
    }
}
