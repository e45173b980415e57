package io.andock.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates an OCI runtime spec ({@code config.json}) as a pure function, Docker's defaults included: the standard
 * kernel filesystems, a writable {@code /dev/shm}, the user's mounts, the {@code /etc} files, namespaces by network
 * mode, masked and read-only paths. Seccomp, capabilities, cgroups and id mappings are the oci driver's
 * ({@code Driver.adaptSpec}); proot and chroot ignore them.
 */
public final class OciSpecs {
    public static final String OCI_VERSION = "1.0.2";
    /** Annotation naming the image's platform, for drivers that emulate another CPU (proot {@code -q}). */
    public static final String PLATFORM_ANNOTATION = "io.andock.platform";

    static final List<String> MASKED = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    private OciSpecs() {}

    /**
     * What a spec is made of.
     *
     * @param mounts      the user's mounts (binds and volumes already as binds, tmpfs), in order
     * @param etcFiles    destination → host file, for {@code /etc/hosts}, {@code /etc/hostname}, {@code /etc/resolv.conf}
     * @param networkMode {@code host}, {@code none} or {@code bridge}
     */
    public record Input(ProcessSpec process, Path rootfs, boolean readonlyRootfs, String hostname, List<OciMount> mounts,
                        Map<String, Path> etcFiles, String networkMode, Map<String, String> annotations) {
        public Input {
            mounts = List.copyOf(mounts);
            etcFiles = new LinkedHashMap<>(etcFiles);
            annotations = new LinkedHashMap<>(annotations);
        }
    }

    public static Map<String, Object> generate(Input in) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ociVersion", OCI_VERSION);
        Map<String, Object> process = in.process().toJson();
        process.put("noNewPrivileges", false);
        process.put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "hard", 1048576L, "soft", 1048576L)));
        spec.put("process", process);
        spec.put("root", Map.of("path", in.rootfs().toString(), "readonly", in.readonlyRootfs()));
        boolean hostNet = "host".equals(in.networkMode());
        if (!hostNet) spec.put("hostname", in.hostname()); // host network: the host's UTS namespace too, as Docker
        List<Object> mounts = new ArrayList<>();
        for (OciMount m : defaultMounts()) mounts.add(m.toJson());
        for (OciMount m : in.mounts()) mounts.add(m.toJson());
        in.etcFiles().forEach((dest, file) -> mounts.add(OciMount.bind(file.toString(), dest, false).toJson()));
        spec.put("mounts", mounts);
        if (!in.annotations().isEmpty()) spec.put("annotations", in.annotations());
        spec.put("linux", linux(in.networkMode()));
        return spec;
    }

    /** Docker's default mounts; {@code /dev/shm} is a 64 MiB tmpfs (drivers without mounts bind a directory). */
    public static List<OciMount> defaultMounts() {
        return List.of(
                new OciMount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new OciMount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new OciMount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new OciMount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new OciMount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")),
                new OciMount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new OciMount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=67108864")));
    }

    /** {@code spec} with its network namespace replaced by the one at {@code netnsPath} (made before start). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> joinNetwork(Map<String, Object> spec, Path netnsPath) {
        Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
        List<Object> ns = new ArrayList<>();
        for (Object x : (List<Object>) linux.get("namespaces")) {
            if (!(x instanceof Map<?, ?> m && "network".equals(m.get("type")))) ns.add(x);
        }
        ns.add(Map.of("type", "network", "path", netnsPath.toString()));
        linux.put("namespaces", ns);
        return spec;
    }

    private static Map<String, Object> linux(String networkMode) {
        Map<String, Object> linux = new LinkedHashMap<>();
        List<Object> ns = new ArrayList<>();
        for (String t : List.of("pid", "ipc", "mount", "cgroup")) ns.add(Map.of("type", t));
        if (!"host".equals(networkMode)) {
            ns.add(Map.of("type", "uts"));
            ns.add(Map.of("type", "network"));
        }
        linux.put("namespaces", ns);
        linux.put("maskedPaths", MASKED);
        linux.put("readonlyPaths", READONLY);
        return linux;
    }
}
