package io.andock.host;

import io.andock.AndockException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the execution driver: a pure function of a {@link HostInfo} and an optional forced name.
 *
 * <p>Automatic choice, first that works:
 * <ol>
 *   <li><b>oci</b>, rootful: root with CAP_SYS_ADMIN, mnt/pid/net/ipc/uts namespaces, a cgroup filesystem, and
 *       runc or crun on PATH;</li>
 *   <li><b>oci</b>, rootless: not root, a user namespace can be created, runc or crun on PATH;</li>
 *   <li><b>chroot</b>: root without namespace support (rooted phones), {@code chroot} on PATH;</li>
 *   <li><b>proot</b>: proot on PATH; needs no privileges.</li>
 * </ol>
 *
 * <p>Runtime: on a hybrid cgroup layout runc, because crun 1.8 refuses that layout while runc handles it;
 * otherwise crun when present (smaller and faster to start than runc, which counts on a phone), else runc.
 * {@code --driver runc} or {@code --driver crun} forces the runtime.
 *
 * <p>A forced driver that cannot work here is an {@link AndockException.Kind#UNAVAILABLE} error saying why and
 * what to install; an unknown name is an invalid argument.
 */
public final class DriverChooser {

    /** Between the situation and the driver in a summary reason; ASCII, as consoles on phones often are not UTF-8. */
    static final String ARROW = " -> ";

    private DriverChooser() {
    }

    public static DriverChoice choose(HostInfo host) {
        return choose(host, Optional.empty());
    }

    public static DriverChoice choose(HostInfo host, Optional<String> forced) {
        String name = forced.map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).orElse(null);
        if (name != null) return forced(host, name);
        List<String> skipped = new ArrayList<>();
        for (DriverKind d : DriverKind.values()) {
            Attempt a = attempt(host, d, null, false);
            if (a.choice != null) {
                if (skipped.isEmpty()) return a.choice;
                List<String> reasons = new ArrayList<>(a.choice.reasons());
                reasons.addAll(1, skipped);
                return new DriverChoice(a.choice.driver(), a.choice.runtime(), a.choice.program(),
                        a.choice.rootless(), false, reasons);
            }
            skipped.add("not " + d.id() + ": " + a.whyNot);
        }
        throw new AndockException(AndockException.Kind.UNAVAILABLE,
                "no execution driver works here: " + String.join("; ", skipped));
    }

    private static DriverChoice forced(HostInfo host, String name) {
        String runtime = name.equals("runc") || name.equals("crun") ? name : null;
        DriverKind d = runtime != null ? DriverKind.OCI : DriverKind.parse(name);
        Attempt a = attempt(host, d, runtime, true);
        if (a.choice == null) {
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "driver " + name + ": " + a.whyNot);
        }
        return a.choice;
    }

    /** Either a choice or why not (with what to install). */
    private record Attempt(DriverChoice choice, String whyNot) {
        static Attempt no(String why) {
            return new Attempt(null, why);
        }
    }

    private static Attempt attempt(HostInfo h, DriverKind d, String runtime, boolean forced) {
        return switch (d) {
            case OCI -> oci(h, runtime, forced);
            case CHROOT -> chroot(h, forced);
            case PROOT -> proot(h, forced);
        };
    }

    private static Attempt oci(HostInfo h, String forcedRuntime, boolean forced) {
        List<String> reasons = new ArrayList<>();
        String uid = "uid " + h.process().effectiveUid();
        if (h.root()) {
            if (!h.namespaces().isYes()) return Attempt.no("root, but namespaces are unavailable: " + h.namespaces().reason());
            if (h.cgroups().version() == CgroupInfo.Version.NONE) {
                return Attempt.no("no cgroup filesystem is mounted (the runtimes need one): mount cgroup2 on /sys/fs/cgroup");
            }
            reasons.add("root (" + uid + ") with CAP_SYS_ADMIN; namespaces: " + h.namespaces().reason());
            reasons.add("cgroups " + h.cgroups().versionName() + " (" + h.cgroupDriver() + ")");
        } else {
            if (!h.userNamespaces().isYes()) {
                String hint = h.android().android() ? "; Android gives apps no user namespaces"
                        : "; run as root, or allow user namespaces (sysctl user.max_user_namespaces=15000"
                        + ", kernel.unprivileged_userns_clone=1)";
                return Attempt.no("not root (" + uid + ") and no user namespaces: " + h.userNamespaces().reason() + hint);
            }
            reasons.add("not root (" + uid + "): rootless in a user namespace; " + h.userNamespaces().reason());
            if (!h.cgroups().writable().isYes()) {
                reasons.add("cgroups not writable by us (" + h.cgroups().writable().reason() + "): no resource limits");
            }
        }
        Runtime rt = runtime(h, forcedRuntime);
        if (rt.path == null) return Attempt.no(rt.reason);
        reasons.add(rt.reason);
        String summary = (h.root() ? "root and namespaces available" : "rootless with user namespaces") + ARROW + "oci ("
                + rt.name + ")" + (forced ? " [forced]" : "");
        reasons.add(0, summary);
        return new Attempt(new DriverChoice(DriverKind.OCI, rt.name, rt.path, !h.root(), forced, reasons), null);
    }

    private record Runtime(String name, String path, String reason) {
    }

    private static Runtime runtime(HostInfo h, String forced) {
        Binaries b = h.binaries();
        boolean hybrid = h.cgroups().version() == CgroupInfo.Version.HYBRID;
        if (forced != null) {
            if (!b.has(forced)) {
                return new Runtime(forced, null, forced + " not found on PATH; install it: apt-get install " + forced);
            }
            String warn = hybrid && forced.equals("crun") ? "; warning: crun 1.8 refuses hybrid cgroup layouts" : "";
            return new Runtime(forced, b.path(forced), "runtime " + forced + " at " + b.path(forced) + " (forced)" + warn);
        }
        if (!b.has("runc") && !b.has("crun")) {
            return new Runtime(null, null, "neither runc nor crun found on PATH; install one: apt-get install runc"
                    + " (or crun)");
        }
        if (hybrid && b.has("runc")) {
            return new Runtime("runc", b.path("runc"), "runtime runc at " + b.path("runc")
                    + (b.has("crun") ? ": cgroup layout is hybrid, which crun 1.8 refuses" : ""));
        }
        if (b.has("crun")) {
            String why = hybrid ? ": runc absent; warning: crun 1.8 refuses hybrid cgroup layouts"
                    : b.has("runc") ? ": preferred over runc (smaller, faster start)" : "";
            return new Runtime("crun", b.path("crun"), "runtime crun at " + b.path("crun") + why);
        }
        return new Runtime("runc", b.path("runc"), "runtime runc at " + b.path("runc"));
    }

    private static Attempt chroot(HostInfo h, boolean forced) {
        if (!h.root()) {
            return Attempt.no("needs root (uid " + h.process().effectiveUid() + "); on a rooted phone run andock under su");
        }
        if (!h.process().hasCap(ProcStatus.CAP_SYS_CHROOT)) return Attempt.no("root without CAP_SYS_CHROOT");
        String chroot = h.binaries().path("chroot");
        if (chroot == null) {
            return Attempt.no("chroot not found on PATH; install it: apt-get install coreutils (Termux: pkg install coreutils)");
        }
        List<String> reasons = new ArrayList<>();
        reasons.add((h.namespaces().isYes() ? "root, but no OCI runtime" : "root without namespaces") + ARROW + "chroot"
                + (forced ? " [forced]" : ""));
        reasons.add("chroot at " + chroot);
        boolean mntNs = h.kernelNamespaces().contains("mnt") && h.binaries().has("unshare")
                && h.process().hasCap(ProcStatus.CAP_SYS_ADMIN);
        reasons.add(mntNs ? "private mount namespace via unshare -m" : "no private mount namespace: mounts are seen by the host");
        return new Attempt(new DriverChoice(DriverKind.CHROOT, "chroot", chroot, false, forced, reasons), null);
    }

    private static Attempt proot(HostInfo h, boolean forced) {
        String proot = h.binaries().path("proot");
        if (proot == null) {
            return Attempt.no("proot not found on PATH; install it: apt-get install proot (Termux: pkg install proot)");
        }
        List<String> reasons = new ArrayList<>();
        reasons.add((h.root() ? "root" : "unprivileged") + ", proot present" + ARROW + "proot" + (forced ? " [forced]" : ""));
        reasons.add("proot at " + proot + ": ptrace-based, needs no privileges, no isolation or resource limits");
        return new Attempt(new DriverChoice(DriverKind.PROOT, "proot", proot, !h.root(), forced, reasons), null);
    }
}
