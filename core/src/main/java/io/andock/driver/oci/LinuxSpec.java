package io.andock.driver.oci;

import io.andock.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Linux parts of an OCI runtime spec, as Docker would write them for the oci driver: capabilities, seccomp,
 * namespaces, masked and read-only paths, cgroup resources and path, user namespace mappings. Pure functions:
 * the spec generator may call the pieces, or hand its finished spec to {@link #apply}.
 */
public final class LinuxSpec {

    /** Docker's masked paths (bind-mounted over with /dev/null or an empty read-only tmpfs). */
    public static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts",
            "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
            "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    /** Docker's read-only paths. */
    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    /** The CFS period andock uses for {@code --cpus} (Docker's: 100 ms). */
    public static final long CPU_PERIOD_US = 100_000;

    private LinuxSpec() {}

    /**
     * A copy of {@code spec} with its Linux parts set from {@code o} for container {@code containerId}: replaces
     * {@code process.capabilities} and {@code linux.{maskedPaths, readonlyPaths, seccomp, resources, cgroupsPath,
     * uidMappings, gidMappings}}, sets the network and user namespaces (keeping the spec's others), and in a user namespace drops mount options naming unmapped ids
     * (and replaces a sysfs mount by a read-only bind of the host's /sys when the network is the host's: a user
     * namespace may not mount sysfs for a network namespace it does not own). Everything else is kept.
     * A null {@code containerId} leaves {@code cgroupsPath} out: runc and crun then use {@code /<id>}.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> apply(Map<String, Object> spec, String containerId, LinuxOptions o) {
        Map<String, Object> out = (Map<String, Object>) Json.parse(Json.write(spec));   // deep copy
        Set<String> caps = Capabilities.resolve(o.capAdd(), o.capDrop(), o.privileged());
        Map<String, Object> process = (Map<String, Object>) out.computeIfAbsent("process", k -> new LinkedHashMap<>());
        process.put("capabilities", Capabilities.processSection(caps));

        Map<String, Object> linux = (Map<String, Object>) out.computeIfAbsent("linux", k -> new LinkedHashMap<>());
        linux.put("namespaces", namespaces(linux.get("namespaces"), o));
        linux.remove("maskedPaths");
        linux.remove("readonlyPaths");
        linux.remove("seccomp");
        if (!o.privileged()) {
            linux.put("maskedPaths", MASKED_PATHS);
            linux.put("readonlyPaths", READONLY_PATHS);
            if (o.seccomp()) linux.put("seccomp", SeccompProfile.forHost(caps));
        }
        linux.remove("resources");
        linux.remove("cgroupsPath");
        if (o.cgroups()) {
            linux.put("resources", resources(o));
            if (containerId != null) linux.put("cgroupsPath", cgroupsPath(o.cgroupParent(), containerId));
        }
        linux.remove("uidMappings");
        linux.remove("gidMappings");
        if (o.userNamespace()) {
            linux.put("uidMappings", o.uidMappings().stream().map(IdMapping::toJson).toList());
            linux.put("gidMappings", o.gidMappings().stream().map(IdMapping::toJson).toList());
            Object mounts = out.get("mounts");
            if (mounts instanceof List<?> l) out.put("mounts", userNamespaceMounts((List<Object>) l, o));
        }
        return out;
    }

    /**
     * The spec's namespaces ({@code existing}; pid, ipc, uts and mount when it has none) but network and user, then
     * network unless the host's (by path when joined) and user when there are mappings.
     */
    public static List<Object> namespaces(Object existing, LinuxOptions o) {
        List<Object> ns = new ArrayList<>();
        if (existing instanceof List<?> l && !l.isEmpty()) {
            for (Object x : l) {
                Object type = x instanceof Map<?, ?> m ? m.get("type") : null;
                if (!"network".equals(type) && !"user".equals(type)) ns.add(x);
            }
        } else {
            for (String t : List.of("pid", "ipc", "uts", "mount")) ns.add(Map.of("type", t));
        }
        switch (o.network().kind()) {
            case NONE -> ns.add(Map.of("type", "network"));
            case JOINED -> ns.add(Map.of("type", "network", "path", o.network().netnsPath().toString()));
            case HOST -> { }
        }
        if (o.userNamespace()) ns.add(Map.of("type", "user"));
        return ns;
    }

    /** The network the spec asks for: none of its own (host), a fresh one (none), or the one at a path (joined). */
    public static Network network(Map<String, Object> spec) {
        Object linux = spec.get("linux");
        Object ns = linux instanceof Map<?, ?> m ? m.get("namespaces") : null;
        if (ns instanceof List<?> l) {
            for (Object x : l) {
                if (x instanceof Map<?, ?> n && "network".equals(n.get("type"))) {
                    return n.get("path") instanceof String p && !p.isEmpty() ? Network.joined(java.nio.file.Path.of(p)) : Network.none();
                }
            }
        }
        return Network.host();
    }

    /**
     * {@code linux.resources}: every device denied but the ones runc and crun always allow (null, zero, full,
     * random, urandom, tty, console, ptmx, pts), or every device when privileged; then the limits that are set.
     */
    public static Map<String, Object> resources(LinuxOptions o) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("devices", List.of(Map.of("allow", o.privileged(), "access", "rwm")));
        if (o.memoryBytes() > 0) r.put("memory", Map.of("limit", o.memoryBytes()));
        if (o.nanoCpus() > 0) {
            r.put("cpu", Map.of("quota", o.nanoCpus() * CPU_PERIOD_US / 1_000_000_000L, "period", CPU_PERIOD_US));
        }
        if (o.pidsLimit() > 0) r.put("pids", Map.of("limit", o.pidsLimit()));
        return r;
    }

    /** cgroupfs style, like Docker's {@code /docker/<id>}: {@code /andock/<id>} (absolute: not under the caller's cgroup). */
    public static String cgroupsPath(String parent, String containerId) {
        String p = parent.endsWith("/") ? parent.substring(0, parent.length() - 1) : parent;
        return (p.startsWith("/") ? p : "/" + p) + "/" + containerId;
    }

    @SuppressWarnings("unchecked")
    static List<Object> userNamespaceMounts(List<Object> mounts, LinuxOptions o) {
        List<Object> out = new ArrayList<>();
        for (Object x : mounts) {
            if (!(x instanceof Map<?, ?> raw)) { out.add(x); continue; }
            Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) raw);
            if ("sysfs".equals(m.get("type")) && !o.network().ownNamespace()) {
                m.put("type", "bind");
                m.put("source", "/sys");
                m.put("options", List.of("rbind", "nosuid", "noexec", "nodev", "ro"));
            } else if (m.get("options") instanceof List<?> opts) {
                List<Object> kept = new ArrayList<>();
                for (Object opt : opts) if (!namesUnmappedId(String.valueOf(opt), o)) kept.add(opt);
                m.put("options", kept);
            }
            out.add(m);
        }
        return out;
    }

    private static boolean namesUnmappedId(String option, LinuxOptions o) {
        boolean uid = option.startsWith("uid="), gid = option.startsWith("gid=");
        if (!uid && !gid) return false;
        long id;
        try {
            id = Long.parseLong(option.substring(4));
        } catch (NumberFormatException e) {
            return false;
        }
        for (IdMapping m : uid ? o.uidMappings() : o.gidMappings()) {
            if (id >= m.containerId() && id < m.containerId() + m.size()) return false;
        }
        return true;
    }
}
