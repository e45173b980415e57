package io.andock.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The kernel's build configuration, as far as it could be read. {@code source} names the file read, or is null
 * when none could be: then {@code unreadableReason} says why ("/proc/config.gz: permission denied" on Android,
 * where SELinux keeps it from apps) and every {@link #state} is {@link State#UNKNOWN}: callers fall back to
 * runtime probes.
 */
public record KernelConfig(String source, String unreadableReason, Map<String, State> options) {

    /** An option's state: {@code =y}, {@code =m}, absent or {@code # ... is not set}, or not known. */
    public enum State { BUILTIN, MODULE, MISSING, UNKNOWN }

    /**
     * The options moby's check-config.sh calls generally necessary for containers (names without CONFIG_),
     * restricted to those that still exist in current kernels.
     */
    public static final List<String> REQUIRED = List.of(
            "NAMESPACES", "NET_NS", "PID_NS", "IPC_NS", "UTS_NS",
            "CGROUPS", "CGROUP_CPUACCT", "CGROUP_DEVICE", "CGROUP_FREEZER", "CGROUP_SCHED", "CPUSETS", "MEMCG",
            "KEYS", "VETH", "BRIDGE", "BRIDGE_NETFILTER", "IP_NF_FILTER", "IP_NF_MANGLE",
            "IP_NF_TARGET_MASQUERADE", "NETFILTER_XT_MATCH_ADDRTYPE", "NETFILTER_XT_MATCH_CONNTRACK",
            "NETFILTER_XT_MATCH_IPVS", "NETFILTER_XT_MARK", "IP_NF_NAT", "NF_NAT", "POSIX_MQUEUE");

    /** Options that enable optional features: rootless, seccomp, resource limits, overlay storage. */
    public static final List<String> OPTIONAL = List.of(
            "USER_NS", "SECCOMP", "SECCOMP_FILTER", "CGROUP_PIDS", "BLK_CGROUP", "BLK_DEV_THROTTLING",
            "CGROUP_PERF", "CGROUP_HUGETLB", "NET_CLS_CGROUP", "CGROUP_NET_PRIO", "CFS_BANDWIDTH",
            "FAIR_GROUP_SCHED", "CGROUP_BPF", "OVERLAY_FS");

    public KernelConfig {
        options = Map.copyOf(options);
    }

    public static KernelConfig unreadable(String reason) {
        return new KernelConfig(null, reason, Map.of());
    }

    /** Parses {@code .config} lines; only lines of the form {@code CONFIG_X=y|m} or {@code # CONFIG_X is not set}. */
    public static KernelConfig parse(String source, List<String> lines) {
        Map<String, State> out = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("CONFIG_")) {
                int eq = line.indexOf('=');
                if (eq < 0) continue;
                String name = line.substring(7, eq);
                String v = line.substring(eq + 1);
                out.put(name, v.equals("y") ? State.BUILTIN : v.equals("m") ? State.MODULE
                        : v.equals("n") ? State.MISSING : State.BUILTIN);
            } else if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
                out.put(line.substring(9, line.length() - 11), State.MISSING);
            }
        }
        return new KernelConfig(source, null, out);
    }

    /**
     * Reads {@code /proc/config.gz}, else {@code /boot/config-<release>}; never throws. The reason of an unreadable
     * config names each file tried.
     */
    public static KernelConfig read(HostFs fs, String release) {
        List<String> why = new ArrayList<>();
        String[] candidates = {"/proc/config.gz", "/boot/config-" + release};
        for (String file : candidates) {
            try (InputStream in = open(fs, file)) {
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                return parse(file, r.lines().toList());
            } catch (NoSuchFileException e) {
                why.add(file + ": absent");
            } catch (AccessDeniedException e) {
                why.add(file + ": permission denied");
            } catch (IOException | RuntimeException e) {
                why.add(file + ": " + e.getMessage());
            }
        }
        return unreadable(String.join("; ", why));
    }

    private static InputStream open(HostFs fs, String file) throws IOException {
        InputStream in = Files.newInputStream(fs.path(file));
        if (!file.endsWith(".gz")) return in;
        try {
            return new GZIPInputStream(in);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    public boolean readable() {
        return source != null;
    }

    /** The option's state, UNKNOWN when the config is unreadable. Accepts names with or without CONFIG_. */
    public State state(String name) {
        if (!readable()) return State.UNKNOWN;
        String n = name.startsWith("CONFIG_") ? name.substring(7) : name;
        return options.getOrDefault(n, State.MISSING);
    }

    /** Whether the option is built in or a module; false when missing or unknown. */
    public boolean enabled(String name) {
        State s = state(name);
        return s == State.BUILTIN || s == State.MODULE;
    }

    /** Which of the given options are missing (empty when the config is unreadable). */
    public List<String> missing(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (state(n) == State.MISSING) out.add(n);
        }
        return out;
    }

    /** The states of the checked options ({@link #REQUIRED} then {@link #OPTIONAL}), in that order. */
    public Map<String, State> checked() {
        Map<String, State> out = new LinkedHashMap<>();
        for (String n : REQUIRED) out.put(n, state(n));
        for (String n : OPTIONAL) out.put(n, state(n));
        return out;
    }
}
