package io.andock.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code /proc}: whether a pid is still the process we started (start time, field 22 of
 * {@code /proc/PID/stat}, and the boot id guard against pid reuse and reboots), a process's descendants, and sends
 * signals. Works under Android's hidepid for the app's own processes.
 */
public final class ProcessTable {
    private ProcessTable() {}

    /** Field 22 of /proc/PID/stat (start time in clock ticks since boot), or -1 when the process is gone. */
    public static long startTime(long pid) {
        String[] f = stat(pid);
        return f == null || f.length < 20 ? -1 : Long.parseLong(f[19]);
    }

    /** The stat fields after the {@code (comm)}: index 0 is field 3 (state). */
    private static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = s.lastIndexOf(')');
            return s.substring(close + 2).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Polls {@code ready} (every millisecond) until it holds, {@code pid} is gone, or {@code deadlineNanos}
     * ({@link System#nanoTime}) has passed; returns whether it held.
     */
    public static boolean await(long pid, long deadlineNanos, java.util.function.BooleanSupplier ready) {
        while (!ready.getAsBoolean()) {
            if (!alive(pid) || System.nanoTime() > deadlineNanos) return false;
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Alive and not a zombie. */
    public static boolean alive(long pid) {
        String[] f = stat(pid);
        return f != null && !f[0].equals("Z") && !f[0].equals("X");
    }

    /** True when {@code pid} is alive, started at {@code startTime}, in this boot. */
    public static boolean same(long pid, long startTime, String bootId) {
        if (pid <= 0) return false;
        if (bootId != null && !bootId.isEmpty() && !bootId.equals(bootId())) return false;
        return alive(pid) && startTime(pid) == startTime;
    }

    private static String bootId;

    public static synchronized String bootId() {
        if (bootId == null) {
            try {
                bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
            } catch (IOException e) {
                bootId = "";
            }
        }
        return bootId;
    }

    /** The direct children of {@code pid}. */
    /** The pid tracing {@code pid} (ptrace: proot's tracees), 0 when none or when {@code pid} is gone. */
    public static long tracer(long pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("TracerPid:")) return Long.parseLong(line.substring(10).trim());
            }
        } catch (java.io.IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    public static List<Long> children(long pid) {
        return parents().getOrDefault(pid, List.of());
    }

    /** The live descendants of {@code pid}, parents before children. */
    public static List<Long> descendants(long pid) {
        Map<Long, List<Long>> children = parents();
        List<Long> out = new ArrayList<>();
        List<Long> todo = new ArrayList<>(children.getOrDefault(pid, List.of()));
        while (!todo.isEmpty()) {
            long c = todo.remove(0);
            if (out.contains(c)) continue;
            out.add(c);
            todo.addAll(children.getOrDefault(c, List.of()));
        }
        return out;
    }

    /** ppid → pids, from one walk of /proc. */
    private static Map<Long, List<Long>> parents() {
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) continue;
                String[] f = stat(Long.parseLong(n));
                if (f == null || f.length < 2) continue;
                children.computeIfAbsent(Long.parseLong(f[1]), k -> new ArrayList<>()).add(Long.parseLong(n));
            }
        } catch (IOException e) {
            return Map.of();
        }
        return children;
    }

    /** Sends signals through the shell's kill ({@code kill-quietly.sh}). */
    private static final ShellScript KILL = ShellScript.load(ProcessTable.class, "kill-quietly.sh");

    /** Sends {@code signal} to each pid (the shell's kill: no JNI); errors for vanished pids are ignored. */
    public static void signal(int signal, List<Long> pids) {
        if (pids.isEmpty()) return;
        List<String> args = new ArrayList<>(List.of(Integer.toString(signal)));
        for (long p : pids) args.add(Long.toString(p));
        CommandRunner.Result r = CommandRunner.system().run(KILL.argv("kill", args), java.time.Duration.ofSeconds(10));
        if (r.error() != null && !r.error().equals("interrupted")) throw new io.andock.AndockException(io.andock.AndockException.Kind.INTERNAL, "kill: " + r.error());
    }
}
