package io.andock.host;

import java.util.List;
import java.util.Set;

/**
 * What this machine allows, as {@link HostProbe} found it. Immutable; build one in tests with the canonical
 * constructor (see {@code HostInfos} in the tests) to drive {@link DriverChooser}.
 *
 * @param kernel           {@code /proc/sys/kernel/osrelease}
 * @param architecture     as {@code uname -m} prints it: x86_64, aarch64, armv7l
 * @param operatingSystem  PRETTY_NAME of os-release, or "Android 14" on a phone
 * @param android          Android and Termux detection
 * @param process          uid, capabilities, seccomp and no_new_privs of this process
 * @param kernelConfig     the kernel's build options, or why they could not be read
 * @param kernelNamespaces namespace types the kernel has ({@code /proc/self/ns}: mnt, pid, net, ipc, uts, user, cgroup, time)
 * @param namespaces       whether we may create mnt, pid, net, ipc and uts namespaces without a user namespace (root)
 * @param userNamespaces   whether we may create a user namespace (what rootless oci needs)
 * @param cgroups          the cgroup layout and whether we may write to it
 * @param cgroupDriver     "systemd" when systemd runs the machine, "cgroupfs" otherwise, "none" without cgroups
 * @param overlay          whether the kernel has overlayfs ({@code /proc/filesystems})
 * @param overlayMount     whether a real overlay mount worked (full probe only; unknown otherwise)
 * @param binaries         helper programs on PATH, CNI plugins, qemu emulators
 * @param securityOptions  docker-info style: name=seccomp, name=apparmor, name=selinux, name=rootless, name=cgroupns
 * @param notes            things a person should know (phantom process killer, unreadable config, ...)
 * @param full             whether the expensive probes ran
 */
public record HostInfo(KernelVersion kernel, String architecture, String operatingSystem, AndroidInfo android,
                       ProcStatus process, KernelConfig kernelConfig, Set<String> kernelNamespaces,
                       Verdict namespaces, Verdict userNamespaces, CgroupInfo cgroups, String cgroupDriver,
                       Verdict overlay, Verdict overlayMount, Binaries binaries, List<String> securityOptions,
                       List<String> notes, boolean full) {

    public HostInfo {
        kernelNamespaces = Set.copyOf(kernelNamespaces);
        securityOptions = List.copyOf(securityOptions);
        notes = List.copyOf(notes);
    }

    public boolean root() {
        return process.isRoot();
    }

    public boolean rootless() {
        return !process.isRoot();
    }

    /** The architecture as OCI image platforms name it: amd64, arm64, arm, 386, ... */
    public String ociArchitecture() {
        return switch (architecture) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "i386", "i486", "i586", "i686", "x86" -> "386";
            case "mips64" -> "mips64le";
            case "loongarch64" -> "loong64";
            default -> architecture.startsWith("armv") ? "arm" : architecture;
        };
    }
}
