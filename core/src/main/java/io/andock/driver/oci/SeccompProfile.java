package io.andock.driver.oci;

import io.andock.AndockException;
import io.andock.host.KernelVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * andock's default seccomp profile: an allowlist (everything else fails with EPERM) in the spirit of Docker's,
 * resolved for one container's capabilities, the host's architecture and kernel, and written as the spec's
 * {@code linux.seccomp}. The plain syscall lists live in {@code seccomp-default.txt} next to this class; the
 * rules that look at arguments are below.
 *
 * <p>The architecture is the host's, not the image's: an arm64 image run through qemu-user on amd64 makes
 * amd64 system calls.
 */
public final class SeccompProfile {

    private static final String RESOURCE = "seccomp-default.txt";
    /** CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET: a process without CAP_SYS_ADMIN may not make namespaces. */
    static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;
    private static final int AF_VSOCK = 40;
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    private record Section(Set<String> names, String cap, List<String> arches, KernelVersion minKernel) {}

    private static volatile List<Section> sections;

    private SeccompProfile() {}

    /** The profile for a container with {@code caps}, on this machine. */
    public static Map<String, Object> forHost(Set<String> caps) {
        return build(caps, goArch(System.getProperty("os.arch")),
                KernelVersion.parse(System.getProperty("os.version")));
    }

    /** The profile for a container with {@code caps} on a host of {@code arch} (Go names: amd64, arm64, arm…). */
    public static Map<String, Object> build(Set<String> caps, String arch, KernelVersion kernel) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Section s : sections()) {
            if (s.cap != null && !caps.contains(s.cap)) continue;
            if (!s.arches.isEmpty() && !s.arches.contains(arch)) continue;
            if (s.minKernel != null && kernel.known() && !kernel.atLeast(s.minKernel.major(), s.minKernel.minor())) continue;
            allowed.addAll(s.names);
        }
        List<Object> rules = new ArrayList<>();
        rules.add(rule(List.copyOf(allowed), "SCMP_ACT_ALLOW"));
        rules.addAll(argumentRules(caps, arch));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("defaultAction", "SCMP_ACT_ERRNO");
        m.put("defaultErrnoRet", EPERM);
        m.put("architectures", scmpArches(arch));
        m.put("syscalls", rules);
        return m;
    }

    private static List<Object> argumentRules(Set<String> caps, String arch) {
        List<Object> rules = new ArrayList<>();
        Map<String, Object> socket = rule(List.of("socket"), "SCMP_ACT_ALLOW");
        socket.put("args", List.of(arg(0, AF_VSOCK, "SCMP_CMP_NE")));   // no host vsock from containers
        rules.add(socket);
        // personality(2): only the harmless personas (Linux, 32-bit Linux, READ_IMPLIES_EXEC-free, query).
        for (long persona : new long[] {0, 8, 0x20000, 0x20008, 0xffffffffL}) {
            Map<String, Object> p = rule(List.of("personality"), "SCMP_ACT_ALLOW");
            p.put("args", List.of(arg(0, persona, "SCMP_CMP_EQ")));
            rules.add(p);
        }
        if (!caps.contains("CAP_SYS_ADMIN")) {
            // clone without namespace flags; its flags are the 2nd argument on s390.
            Map<String, Object> clone = rule(List.of("clone"), "SCMP_ACT_ALLOW");
            Map<String, Object> a = arg(arch.startsWith("s390") ? 1 : 0, CLONE_NAMESPACE_FLAGS, "SCMP_CMP_MASKED_EQ");
            a.put("valueTwo", 0);
            clone.put("args", List.of(a));
            rules.add(clone);
            // clone3 passes its flags in memory seccomp cannot read: ENOSYS makes libc fall back to clone.
            Map<String, Object> clone3 = rule(List.of("clone3"), "SCMP_ACT_ERRNO");
            clone3.put("errnoRet", ENOSYS);
            rules.add(clone3);
        }
        return rules;
    }

    private static Map<String, Object> rule(List<String> names, String action) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("names", names);
        m.put("action", action);
        return m;
    }

    private static Map<String, Object> arg(int index, long value, String op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("value", value);
        m.put("op", op);
        return m;
    }

    /** libseccomp's names for a native architecture and the compat ones its kernel also runs. */
    static List<String> scmpArches(String arch) {
        return switch (arch) {
            case "amd64" -> List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
            case "386" -> List.of("SCMP_ARCH_X86");
            case "arm64" -> List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
            case "arm" -> List.of("SCMP_ARCH_ARM");
            case "riscv64" -> List.of("SCMP_ARCH_RISCV64");
            case "s390x" -> List.of("SCMP_ARCH_S390X", "SCMP_ARCH_S390");
            case "ppc64le" -> List.of("SCMP_ARCH_PPC64LE");
            default -> List.of();
        };
    }

    /** Java's {@code os.arch} as Go (and OCI) names it. */
    static String goArch(String javaArch) {
        String a = javaArch == null ? "" : javaArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            default -> a.startsWith("arm") ? "arm" : a;
        };
    }

    private static List<Section> sections() {
        List<Section> s = sections;
        if (s == null) sections = s = parse(resourceText());
        return s;
    }

    private static String resourceText() {
        try {
            byte[] text = io.andock.os.Resources.read(SeccompProfile.class, RESOURCE);
            if (text == null) throw new AndockException(AndockException.Kind.INTERNAL, RESOURCE + " missing from the classpath");
            return new String(text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw AndockException.wrap("read " + RESOURCE, e);
        }
    }

    /** Parses the allowlist format described at the top of {@code seccomp-default.txt}. */
    static List<Section> parse(String text) {
        List<Section> out = new ArrayList<>();
        Set<String> names = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("[")) {
                if (!line.startsWith("[allow") || !line.endsWith("]")) throw AndockException.invalid("seccomp list: bad header " + line);
                String cap = null;
                List<String> arches = List.of();
                KernelVersion min = null;
                for (String cond : line.substring(6, line.length() - 1).trim().split("\\s+")) {
                    if (cond.isEmpty()) continue;
                    String[] kv = cond.split("=", 2);
                    switch (kv[0]) {
                        case "cap" -> cap = kv[1];
                        case "arch" -> arches = List.of(kv[1].split(","));
                        case "minKernel" -> min = KernelVersion.parse(kv[1]);
                        default -> throw AndockException.invalid("seccomp list: bad condition " + cond);
                    }
                }
                names = new LinkedHashSet<>();
                out.add(new Section(names, cap, arches, min));
                continue;
            }
            if (names == null) throw AndockException.invalid("seccomp list: names before a header");
            for (String n : line.split("\\s+")) names.add(n);
        }
        return List.copyOf(out);
    }
}
