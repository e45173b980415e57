package io.andock.host;

import io.andock.os.CommandRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether this process may create namespaces. Files first ({@code /proc/self/ns}, the kernel config, the userns
 * sysctls, our capabilities and seccomp mode); a real {@code unshare} only when they leave the question open,
 * its answer cached for the boot. A try that dies of a signal (SIGSYS from Android's seccomp) counts as no.
 */
final class NamespaceProbe {

    private final HostFs fs;
    private final CommandRunner runner;
    private final ProbeCache cache;
    private final Binaries bins;
    private final ProcStatus status;
    private final KernelConfig config;
    private final Set<String> kernelNs;

    NamespaceProbe(HostFs fs, CommandRunner runner, ProbeCache cache, Binaries bins, ProcStatus status,
                   KernelConfig config, Set<String> kernelNs) {
        this.fs = fs;
        this.runner = runner;
        this.cache = cache;
        this.bins = bins;
        this.status = status;
        this.config = config;
        this.kernelNs = kernelNs;
    }

    /** Whether we may create the given namespace types directly (as root, without a user namespace). */
    Verdict containerNamespaces(List<String> types) {
        List<String> missing = missingFromKernel(types);
        if (!missing.isEmpty()) return Verdict.no("kernel lacks " + String.join(", ", missing) + " namespaces");
        if (!status.isRoot()) return Verdict.no("not root (uid " + status.effectiveUid() + ")");
        if (!status.hasCap(ProcStatus.CAP_SYS_ADMIN)) return Verdict.no("root without CAP_SYS_ADMIN");
        String have = String.join(", ", types) + " namespaces";
        if (kernelNs.isEmpty()) {
            return tryUnshare("ns.container", List.of("-m", "-u", "-i", "-n", "-p", "-f"), "/proc/self/ns unreadable");
        }
        if (status.seccompMode() == 0) return Verdict.yes("kernel has " + have + ", CAP_SYS_ADMIN held, no seccomp filter");
        return tryUnshare("ns.container", List.of("-m", "-u", "-i", "-n", "-p", "-f"), "seccomp filter active");
    }

    /** Whether we may create a user namespace mapping our uid to root (what rootless oci needs). */
    Verdict userNamespaces() {
        if (!missingFromKernel(List.of("user")).isEmpty()) return Verdict.no("kernel built without CONFIG_USER_NS");
        String max = fs.line("/proc/sys/user/max_user_namespaces");
        if ("0".equals(max)) return Verdict.no("user.max_user_namespaces is 0");
        String clone = fs.line("/proc/sys/kernel/unprivileged_userns_clone");
        if (!status.isRoot() && "0".equals(clone)) return Verdict.no("kernel.unprivileged_userns_clone is 0");
        if (status.isRoot() && status.hasCap(ProcStatus.CAP_SYS_ADMIN) && status.seccompMode() == 0
                && !kernelNs.isEmpty()) {
            return Verdict.yes("kernel has user namespaces, root with CAP_SYS_ADMIN, no seccomp filter");
        }
        String why = status.isRoot() ? "seccomp filter active" : "not root";
        return tryUnshare("ns.user." + status.effectiveUid(), List.of("-U", "-r"), why);
    }

    /** Namespace types the kernel lacks, by /proc/self/ns when readable, else by the config when readable. */
    private List<String> missingFromKernel(List<String> types) {
        List<String> out = new ArrayList<>();
        for (String t : types) {
            boolean absent = !kernelNs.isEmpty() ? !kernelNs.contains(t)
                    : config.state(configName(t)) == KernelConfig.State.MISSING;
            if (absent) out.add(t);
        }
        return out;
    }

    private static String configName(String nsType) {
        return switch (nsType) {
            case "mnt" -> "NAMESPACES";
            case "net" -> "NET_NS";
            case "pid" -> "PID_NS";
            case "ipc" -> "IPC_NS";
            case "uts" -> "UTS_NS";
            case "user" -> "USER_NS";
            case "cgroup" -> "CGROUPS";
            default -> "NAMESPACES";
        };
    }

    private Verdict tryUnshare(String cacheKey, List<String> flags, String whyTry) {
        Verdict cached = cache.verdict(cacheKey);
        if (cached != null) return cached;
        String unshare = bins.path("unshare");
        if (unshare == null) return Verdict.unknown(whyTry + " and unshare not found on PATH to try");
        List<String> argv = new ArrayList<>();
        argv.add(unshare);
        argv.addAll(flags);
        argv.add("true");
        String shown = "unshare " + String.join(" ", flags) + " true";
        CommandRunner.Result r = runner.run(argv, HostProbe.TIMEOUT);
        Verdict v = r.ok() ? Verdict.yes(shown + " works")
                : r.error() != null ? Verdict.unknown(shown + ": " + r.describe())
                : Verdict.no(shown + ": " + r.describe());
        if (v.status() != Verdict.Status.UNKNOWN) cache.put(cacheKey, v);
        return v;
    }
}
