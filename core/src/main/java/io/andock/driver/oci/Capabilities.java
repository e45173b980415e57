package io.andock.driver.oci;

import io.andock.AndockException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Linux capabilities as Docker grants them: a default set of 14, changed by {@code --cap-add}, {@code --cap-drop}
 * (names with or without {@code CAP_}, any case, {@code ALL}) and {@code --privileged} (every capability).
 */
public final class Capabilities {

    /** Docker's default set (moby {@code oci/caps/defaults.go}). */
    public static final Set<String> DOCKER_DEFAULT = Set.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** Every capability the kernel headers of 5.9+ name, by number (index = capability number). */
    public static final List<String> ALL = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private Capabilities() {}

    /**
     * The effective set for a container, as Docker computes it: with {@code privileged} every capability; with
     * {@code --cap-add ALL} every capability but the dropped ones; with {@code --cap-drop ALL} only the added ones;
     * otherwise (default minus drops) plus adds. Sorted by name. Unknown names are invalid arguments.
     */
    public static Set<String> resolve(List<String> add, List<String> drop, boolean privileged) {
        if (privileged) return new TreeSet<>(grantable());
        List<String> adds = normalize(add);
        List<String> drops = normalize(drop);
        Set<String> caps = new TreeSet<>();
        if (adds.contains("ALL")) {
            for (String c : grantable()) if (!drops.contains(c)) caps.add(c);
        } else if (drops.contains("ALL")) {
            caps.addAll(adds);
        } else {
            for (String c : DOCKER_DEFAULT) if (!drops.contains(c)) caps.add(c);
            caps.addAll(adds);
        }
        return caps;
    }

    /**
     * "Every capability", as this process can hand them on: those in its bounding set ({@code CapBnd}), which a
     * container manager or sandbox may have narrowed (runc fails with "unable to apply caps" otherwise, as
     * dockerd does there; Podman filters the same way). All of them when the set cannot be read.
     */
    static List<String> grantable() {
        long bnd;
        try {
            bnd = -1;
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) bnd = Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        } catch (java.io.IOException | RuntimeException e) {
            return ALL;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ALL.size(); i++) if ((bnd >>> i & 1) == 1) out.add(ALL.get(i));
        return out;
    }

    /** {@code net_admin}, {@code NET_ADMIN} and {@code CAP_NET_ADMIN} all give {@code CAP_NET_ADMIN}; {@code all} gives {@code ALL}. */
    public static List<String> normalize(List<String> names) {
        List<String> out = new ArrayList<>();
        if (names == null) return out;
        for (String n : names) {
            String u = n.strip().toUpperCase(Locale.ROOT);
            if (u.equals("ALL")) { out.add(u); continue; }
            if (!u.startsWith("CAP_")) u = "CAP_" + u;
            if (!ALL.contains(u)) throw AndockException.invalid("unknown capability: \"" + n + "\"");
            out.add(u);
        }
        return out;
    }

    /**
     * The spec's {@code process.capabilities}: bounding, effective and permitted hold the set; inheritable and
     * ambient stay empty (as Docker does since CVE-2022-24769), so a non-root user gets none of them.
     */
    public static Map<String, Object> processSection(Set<String> caps) {
        List<String> l = List.copyOf(caps);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bounding", l);
        m.put("effective", l);
        m.put("permitted", l);
        m.put("inheritable", List.of());
        m.put("ambient", List.of());
        return m;
    }

    /** The bit mask {@code /proc/PID/status} shows as {@code CapEff} for a set. */
    public static long mask(Set<String> caps) {
        long m = 0;
        for (String c : caps) {
            int i = ALL.indexOf(c);
            if (i < 0) throw AndockException.invalid("unknown capability: \"" + c + "\"");
            m |= 1L << i;
        }
        return m;
    }
}
