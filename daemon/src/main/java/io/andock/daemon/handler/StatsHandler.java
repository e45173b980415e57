package io.andock.daemon.handler;

import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Router;
import io.andock.json.Json;
import io.andock.container.ContainerView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /containers/{id}/stats}: CPU and memory of the container's main process from /proc (all drivers;
 * cgroup totals would need core to say where a container's cgroup is). One sample per second when streaming.
 */
public final class StatsHandler {
    private static final long CLK_TCK = 100;
    private final ContainerBackend containers;

    public StatsHandler(ContainerBackend containers) {
        this.containers = containers;
    }

    public void register(Router r) {
        r.get("/containers/{id}/stats", this::stats);
    }

    void stats(Exchange x) throws IOException, InterruptedException {
        ContainerView v = containers.get(x.param("id"));
        boolean stream = x.query().bool("stream", true) && !x.query().bool("one-shot", false);
        Sample prev = sample(v);
        if (!stream) {
            if (!x.query().bool("one-shot", false)) {
                Thread.sleep(500);
                Sample now = sample(containers.get(v.id()));
                x.json(200, document(v, now, prev));
            } else {
                x.json(200, document(v, prev, new Sample(0, 0, 0, Instant.now())));
            }
            return;
        }
        var out = x.stream("application/json");
        while (!x.clientGone()) {
            Thread.sleep(1000);
            ContainerView cur = containers.get(v.id());
            Sample now = sample(cur);
            out.write((Json.write(document(cur, now, prev)) + "\n").getBytes(StandardCharsets.UTF_8));
            prev = now;
            if (!cur.state().running()) break;
        }
        out.close();
    }

    private record Sample(long cpuNanos, long systemNanos, long rss, Instant at) {}

    private static Sample sample(ContainerView v) {
        long cpu = 0, rss = 0;
        if (v.state().running() && v.state().pid() > 0) {
            try {
                String stat = Files.readString(Path.of("/proc/" + v.state().pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                cpu = ticks * 1_000_000_000L / CLK_TCK;
                rss = Long.parseLong(f[21]) * 4096;
            } catch (IOException | RuntimeException ignored) {
                // exited meanwhile
            }
        }
        return new Sample(cpu, systemNanos(), rss, Instant.now());
    }

    private static long systemNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]);
            return total * 1_000_000_000L / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static Map<String, Object> document(ContainerView v, Sample now, Sample prev) {
        int cpus = Runtime.getRuntime().availableProcessors();
        long limit = v.record().spec().resources().memoryBytes();
        if (limit <= 0) limit = memTotal();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "/" + v.name());
        m.put("id", v.id());
        m.put("read", now.at().toString());
        m.put("preread", prev.at().toString());
        m.put("pids_stats", Map.of("current", v.state().running() ? 1 : 0));
        m.put("num_procs", 0);
        m.put("cpu_stats", cpu(now, cpus));
        m.put("precpu_stats", cpu(prev, cpus));
        m.put("memory_stats", Map.of("usage", now.rss(), "limit", limit, "stats", Map.of()));
        m.put("blkio_stats", Map.of());
        m.put("networks", Map.of());
        return m;
    }

    private static Map<String, Object> cpu(Sample s, int cpus) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cpu_usage", Map.of("total_usage", s.cpuNanos(), "usage_in_kernelmode", 0, "usage_in_usermode", s.cpuNanos()));
        c.put("system_cpu_usage", s.systemNanos());
        c.put("online_cpus", cpus);
        c.put("throttling_data", Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0));
        return c;
    }

    private static long memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException ignored) {
            // unknown
        }
        return 0;
    }
}
