package io.andock.daemon.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last touch on a container inspect document, so that clients comparing what they sent with what they read
 * back find it: every {@code HostConfig} field dockerd shows, with what andock knows first (it may have changed
 * since create: {@code update}), then what the client sent at create, then dockerd's defaults (20.10, captured).
 * {@code Mounts[].Propagation} as dockerd shows it.
 */
public final class InspectFidelity {
    /** Fields the inspect document fills with a default, not with what andock knows: the client's value wins. */
    private static final List<String> SENT_WINS = List.of("ConsoleSize");

    private InspectFidelity() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> complete(Map<String, Object> inspect, Map<String, Object> sentHostConfig) {
        Map<String, Object> m = new LinkedHashMap<>(inspect);
        Map<String, Object> known = (Map<String, Object>) m.getOrDefault("HostConfig", Map.of());
        Map<String, Object> hc = defaults();
        sentHostConfig.forEach((k, v) -> {
            if (v != null) hc.put(k, v); // the CLI sends explicit nulls (MaskedPaths): dockerd fills those in too
        });
        hc.putAll(known);
        for (String k : SENT_WINS) if (sentHostConfig.get(k) != null) hc.put(k, sentHostConfig.get(k));
        if (sentHostConfig.containsKey("Binds") && known.get("Binds") instanceof List<?> l && l.isEmpty()) {
            hc.put("Binds", sentHostConfig.get("Binds")); // core lists named binds only; the client's list as sent
        }
        m.put("HostConfig", hc);
        if (m.get("Mounts") instanceof List<?> mounts) {
            List<Object> out = new ArrayList<>();
            for (Object o : mounts) {
                Map<String, Object> mount = new LinkedHashMap<>((Map<String, Object>) o);
                mount.putIfAbsent("Propagation", "bind".equals(mount.get("Type")) ? "rprivate" : "");
                out.add(mount);
            }
            m.put("Mounts", out);
        }
        return m;
    }

    /** dockerd 20.10's HostConfig of a container created with nothing set (NetworkMode aside). */
    static Map<String, Object> defaults() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("Binds", null);
        h.put("ContainerIDFile", "");
        h.put("LogConfig", Map.of("Type", "json-file", "Config", Map.of()));
        h.put("NetworkMode", "default");
        h.put("PortBindings", null);
        h.put("RestartPolicy", Map.of("Name", "no", "MaximumRetryCount", 0));
        h.put("AutoRemove", false);
        h.put("VolumeDriver", "");
        h.put("VolumesFrom", null);
        h.put("ConsoleSize", List.of(0, 0));
        h.put("CapAdd", null);
        h.put("CapDrop", null);
        h.put("CgroupnsMode", "host");
        h.put("Dns", null);
        h.put("DnsOptions", null);
        h.put("DnsSearch", null);
        h.put("ExtraHosts", null);
        h.put("GroupAdd", null);
        h.put("IpcMode", "private");
        h.put("Cgroup", "");
        h.put("Links", null);
        h.put("OomScoreAdj", 0);
        h.put("PidMode", "");
        h.put("Privileged", false);
        h.put("PublishAllPorts", false);
        h.put("ReadonlyRootfs", false);
        h.put("SecurityOpt", null);
        h.put("UTSMode", "");
        h.put("UsernsMode", "");
        h.put("ShmSize", 67108864L);
        h.put("Runtime", "runc");
        h.put("Isolation", "");
        h.put("CpuShares", 0);
        h.put("Memory", 0);
        h.put("NanoCpus", 0);
        h.put("CgroupParent", "");
        h.put("BlkioWeight", 0);
        h.put("BlkioWeightDevice", null);
        h.put("BlkioDeviceReadBps", null);
        h.put("BlkioDeviceWriteBps", null);
        h.put("BlkioDeviceReadIOps", null);
        h.put("BlkioDeviceWriteIOps", null);
        h.put("CpuPeriod", 0);
        h.put("CpuQuota", 0);
        h.put("CpuRealtimePeriod", 0);
        h.put("CpuRealtimeRuntime", 0);
        h.put("CpusetCpus", "");
        h.put("CpusetMems", "");
        h.put("Devices", null);
        h.put("DeviceCgroupRules", null);
        h.put("DeviceRequests", null);
        h.put("MemoryReservation", 0);
        h.put("MemorySwap", 0);
        h.put("MemorySwappiness", null);
        h.put("OomKillDisable", false);
        h.put("PidsLimit", null);
        h.put("Ulimits", null);
        h.put("CpuCount", 0);
        h.put("CpuPercent", 0);
        h.put("IOMaximumIOps", 0);
        h.put("IOMaximumBandwidth", 0);
        h.put("MaskedPaths", List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware"));
        h.put("ReadonlyPaths", List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        return h;
    }
}
