package io.andock.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cgroup layout of this machine.
 *
 * <ul>
 *   <li>{@code V2}: one unified hierarchy (cgroup2) holds every controller.</li>
 *   <li>{@code V1}: one cgroup (v1) mount per controller (or group of controllers), no cgroup2.</li>
 *   <li>{@code HYBRID}: v1 controller mounts plus a cgroup2 mount (systemd's {@code /sys/fs/cgroup/unified}),
 *       which usually holds few or no controllers. crun 1.8 refuses this layout; runc handles it.</li>
 *   <li>{@code NONE}: no cgroup filesystem mounted (Android apps see {@code /sys/fs/cgroup} but may not use it).</li>
 * </ul>
 *
 * @param v1Mounts    controller (or {@code name=systemd}) → mount point, for v1 mounts
 * @param unifiedMount the cgroup2 mount point, or null
 * @param v2Controllers the controllers enabled in the cgroup2 root ({@code cgroup.controllers})
 * @param writable    whether this process may create child cgroups where it sits
 */
public record CgroupInfo(Version version, Map<String, String> v1Mounts, String unifiedMount,
                         List<String> v2Controllers, Verdict writable) {

    public enum Version { V1, V2, HYBRID, NONE }

    /** The v1 controllers the kernel knows; other super options (xattr, noprefix, release_agent=...) are not. */
    private static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices",
            "freezer", "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc", "debug");

    public CgroupInfo {
        v1Mounts = Map.copyOf(v1Mounts);
        v2Controllers = List.copyOf(v2Controllers);
    }

    /** The layout from mountinfo and the text of the cgroup2 root's {@code cgroup.controllers}; writability unknown. */
    public static CgroupInfo parse(Mountinfo mountinfo, String v2ControllersText) {
        Map<String, String> v1 = new LinkedHashMap<>();
        for (Mountinfo.Mount m : mountinfo.ofType("cgroup")) {
            for (String opt : m.superOptions()) {
                if (V1_CONTROLLERS.contains(opt) || opt.startsWith("name=")) {
                    v1.putIfAbsent(opt, m.mountPoint());
                }
            }
        }
        List<Mountinfo.Mount> v2 = mountinfo.ofType("cgroup2");
        String unified = v2.isEmpty() ? null : v2.get(0).mountPoint();
        List<String> controllers = unified == null || v2ControllersText == null ? List.of()
                : List.of(v2ControllersText.strip().split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();
        boolean anyV1 = !v1.isEmpty();
        Version version = anyV1 && unified != null ? Version.HYBRID : anyV1 ? Version.V1
                : unified != null ? Version.V2 : Version.NONE;
        return new CgroupInfo(version, v1, unified, controllers, Verdict.unknown("not probed"));
    }

    public CgroupInfo withWritable(Verdict w) {
        return new CgroupInfo(version, v1Mounts, unifiedMount, v2Controllers, w);
    }

    /** Every usable resource controller (v1 and v2 together), sorted; {@code name=...} hierarchies excluded. */
    public Set<String> controllers() {
        Set<String> out = new TreeSet<>(v2Controllers);
        for (String k : v1Mounts.keySet()) {
            if (!k.startsWith("name=")) out.add(k);
        }
        return out;
    }

    /** The version as docker info prints it: "1", "2", "hybrid" or "none". */
    public String versionName() {
        return switch (version) {
            case V1 -> "1";
            case V2 -> "2";
            case HYBRID -> "hybrid";
            case NONE -> "none";
        };
    }

    /**
     * The directory of this process's cgroup from {@code /proc/self/cgroup}: in the unified hierarchy for v2,
     * else in the memory (or first) v1 hierarchy; null when none is known. {@code mountRoots} maps a mount
     * point to the mount's root (not "/" inside a cgroup namespace), which is stripped from the path.
     */
    public String ownCgroupDir(String procSelfCgroup, Map<String, String> mountRoots) {
        if (procSelfCgroup == null) return null;
        Map<String, String> byController = new LinkedHashMap<>();
        String v2Path = null;
        for (String line : procSelfCgroup.split("\n")) {
            String[] f = line.strip().split(":", 3);
            if (f.length < 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) v2Path = f[2];
            for (String c : f[1].split(",")) {
                if (!c.isEmpty()) byController.put(c, f[2]);
            }
        }
        if (version == Version.V2 && v2Path != null) return join(unifiedMount, v2Path, mountRoots);
        List<String> prefer = new ArrayList<>(List.of("memory", "pids", "cpu"));
        prefer.addAll(byController.keySet());
        for (String c : prefer) {
            String mount = v1Mounts.get(c);
            String path = byController.get(c);
            if (mount != null && path != null) return join(mount, path, mountRoots);
        }
        return unifiedMount != null && v2Path != null ? join(unifiedMount, v2Path, mountRoots) : null;
    }

    private static String join(String mount, String path, Map<String, String> mountRoots) {
        String root = mountRoots.getOrDefault(mount, "/");
        String rel = !root.equals("/") && path.startsWith(root) ? path.substring(root.length()) : path;
        if (rel.isEmpty() || rel.equals("/")) return mount;
        return mount + (rel.startsWith("/") ? rel : "/" + rel);
    }
}
