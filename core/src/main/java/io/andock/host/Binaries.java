package io.andock.host;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Helper programs found on this machine.
 *
 * @param tools      program name → absolute path, for those of {@link #TOOLS} found on PATH
 * @param versions   program name → first line of its {@code --version} (full probe only)
 * @param cniDir     the first CNI plugin directory with plugins, or null
 * @param cniPlugins plugin names in {@code cniDir}
 * @param qemuUser   qemu user-mode emulators on PATH ({@code qemu-aarch64-static}, ...), as paths
 * @param binfmt     qemu registrations in {@code /proc/sys/fs/binfmt_misc}
 */
public record Binaries(Map<String, String> tools, Map<String, String> versions, String cniDir,
                       List<String> cniPlugins, List<String> qemuUser, List<Binfmt> binfmt) {

    /** The programs looked up on PATH. */
    public static final List<String> TOOLS = List.of("runc", "crun", "proot", "conmon", "slirp4netns",
            "fuse-overlayfs", "unshare", "nsenter", "mount", "chroot", "newuidmap", "newgidmap");

    /** Where CNI plugins live, in the order looked at. */
    public static final List<String> CNI_DIRS = List.of("/usr/lib/cni", "/opt/cni/bin", "/usr/libexec/cni");

    /** qemu's name for a CPU → the OCI architecture of images it runs. */
    private static final Map<String, String> QEMU_TO_OCI = Map.ofEntries(
            Map.entry("aarch64", "arm64"), Map.entry("arm", "arm"), Map.entry("x86_64", "amd64"),
            Map.entry("i386", "386"), Map.entry("riscv64", "riscv64"), Map.entry("ppc64le", "ppc64le"),
            Map.entry("s390x", "s390x"), Map.entry("mips64el", "mips64le"), Map.entry("loongarch64", "loong64"));

    /** One binfmt_misc registration: name ({@code qemu-aarch64}), enabled, interpreter path and flags. */
    public record Binfmt(String name, boolean enabled, String interpreter, String flags) {

        /** Parses the text of {@code /proc/sys/fs/binfmt_misc/<name>}. */
        public static Binfmt parse(String name, String text) {
            boolean enabled = false;
            String interp = null;
            String flags = "";
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.equals("enabled")) enabled = true;
                else if (l.startsWith("interpreter ")) interp = l.substring(12).strip();
                else if (l.startsWith("flags:")) flags = l.substring(6).strip();
            }
            return new Binfmt(name, enabled, interp, flags);
        }
    }

    public Binaries {
        tools = Collections.unmodifiableMap(new LinkedHashMap<>(tools));
        versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        cniPlugins = List.copyOf(cniPlugins);
        qemuUser = List.copyOf(qemuUser);
        binfmt = List.copyOf(binfmt);
    }

    public boolean has(String tool) {
        return tools.containsKey(tool);
    }

    public String path(String tool) {
        return tools.get(tool);
    }

    public Binaries withVersions(Map<String, String> v) {
        return new Binaries(tools, v, cniDir, cniPlugins, qemuUser, binfmt);
    }

    /** The OCI architecture a qemu binary or registration name emulates ({@code qemu-aarch64-static} → arm64), or null. */
    public static String ociArchOfQemu(String name) {
        String n = name.substring(name.lastIndexOf('/') + 1);
        if (!n.startsWith("qemu-")) return null;
        n = n.substring(5);
        if (n.endsWith("-static")) n = n.substring(0, n.length() - 7);
        return QEMU_TO_OCI.get(n);
    }

    /**
     * OCI architectures of foreign images this machine can run: transparently through an enabled binfmt
     * registration (any driver), or through a qemu user binary that proot can use with {@code -q}.
     */
    public Set<String> emulatedArchitectures() {
        Set<String> out = new TreeSet<>();
        for (Binfmt b : binfmt) {
            String a = ociArchOfQemu(b.name());
            if (b.enabled() && a != null) out.add(a);
        }
        for (String q : qemuUser) {
            String a = ociArchOfQemu(q);
            if (a != null) out.add(a);
        }
        return out;
    }
}
