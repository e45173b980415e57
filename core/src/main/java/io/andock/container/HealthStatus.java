package io.andock.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's health as its check loop ({@code andock-health.sh}) left it in {@link ContainerDir#health()}:
 * Docker's {@code State.Health}. Read, never written, here.
 *
 * @param status        {@code starting}, {@code healthy} or {@code unhealthy}
 * @param failingStreak failures in a row that counted
 * @param log           the newest results, oldest first (five at most)
 */
public record HealthStatus(String status, int failingStreak, List<Result> log) {
    /** Bounds for what is read back: the script writes 4 KiB of output at most. */
    private static final int MAX_RESULT_BYTES = 8192;

    /** One run of the check; {@code exitCode} -1: it timed out. */
    public record Result(Instant start, Instant end, int exitCode, String output) {
    }

    /** The status in {@code docker ps}'s words: {@code (healthy)}, {@code (health: starting)}, {@code (unhealthy)}. */
    public String psText() {
        return status.equals("starting") ? "(health: starting)" : "(" + status + ")";
    }

    /** Null when the container has no health check (or it has not been started with one). */
    public static HealthStatus read(ContainerDir dir) {
        Path h = dir.health();
        String state;
        try {
            state = Files.readString(h.resolve("state"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
        String[] f = state.split(" ");
        if (f.length != 2 || !List.of("starting", "healthy", "unhealthy").contains(f[0]) || !f[1].matches("\\d{1,9}")) {
            return new HealthStatus("starting", 0, List.of()); // being written: the script writes it in one go
        }
        return new HealthStatus(f[0], Integer.parseInt(f[1]), results(h));
    }

    private static List<Result> results(Path h) {
        TreeMap<Long, Path> byNumber = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(h, "r.*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString().substring(2);
                if (n.matches("\\d{1,18}")) byNumber.put(Long.parseLong(n), p);
            }
        } catch (IOException e) {
            return List.of();
        }
        List<Result> out = new ArrayList<>();
        for (Path p : byNumber.tailMap(byNumber.isEmpty() ? 0 : byNumber.lastKey() - 4).values()) {
            Result r = result(p);
            if (r != null) out.add(r);
        }
        return out;
    }

    private static Result result(Path p) {
        byte[] b;
        try {
            if (Files.size(p) > MAX_RESULT_BYTES) return null;
            b = Files.readAllBytes(p);
        } catch (IOException e) {
            return null; // rotated away meanwhile
        }
        String s = new String(b, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        if (nl < 0) return null;
        String[] f = s.substring(0, nl).split(" ");
        try {
            return new Result(centis(f[0]), centis(f[1]), Integer.parseInt(f[2]), s.substring(nl + 1));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Instant centis(String s) {
        long c = Long.parseLong(s);
        return Instant.ofEpochSecond(c / 100, (c % 100) * 10_000_000L);
    }

    /** Docker's {@code State.Health}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", status);
        m.put("FailingStreak", (long) failingStreak);
        List<Object> l = new ArrayList<>();
        for (Result r : log) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("Start", r.start().toString());
            e.put("End", r.end().toString());
            e.put("ExitCode", (long) r.exitCode());
            e.put("Output", r.output());
            l.add(e);
        }
        m.put("Log", l);
        return m;
    }
}
