package io.andock.host;

import io.andock.os.CommandRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds out what this machine allows. {@link #quick()} reads files only, except for one {@code unshare} try when
 * the files cannot tell whether we may create a user namespace (non-root, or root under a seccomp filter) and a
 * {@code getprop} on Android when the SDK level is nowhere else; both answers are cached per boot when a cache
 * directory is given. {@link #full(Path)} adds the programs' versions and a real overlay mount.
 *
 * <p>Start-up cost: nothing happens at construction; the CLI should create a probe only for commands that need
 * a driver or print {@code info}. The quick result is memoized per instance. Thread-safe by synchronization.
 */
public final class HostProbe {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> CONTAINER_NS = List.of("mnt", "pid", "net", "ipc", "uts");

    private final HostFs fs;
    private final CommandRunner runner;
    private final Path cacheDir;
    private ProbeCache cache;
    private HostInfo quick;

    /**
     * @param cacheDir where {@code host-probe.json} keeps spawn results for this boot; null for no cache
     */
    public HostProbe(HostFs fs, CommandRunner runner, Path cacheDir) {
        this.fs = fs;
        this.runner = runner;
        this.cacheDir = cacheDir;
    }

    /** A probe of this machine, with its spawn results cached in {@code cacheDir} (may be null). */
    public static HostProbe system(Path cacheDir) {
        return new HostProbe(HostFs.real(), CommandRunner.system(), cacheDir);
    }

    /** The cheap probe (memoized). */
    public synchronized HostInfo quick() {
        if (quick == null) quick = probe(false, null);
        return quick;
    }

    /** Everything, including versions and a real overlay mount in a temp dir under {@code scratch}. */
    public synchronized HostInfo full(Path scratch) {
        return probe(true, scratch);
    }

    private HostInfo probe(boolean full, Path scratch) {
        ProcStatus status = ProcStatus.parse(fs.text("/proc/self/status"));
        String release = orElse(fs.line("/proc/sys/kernel/osrelease"), System.getProperty("os.version"));
        KernelVersion kernel = KernelVersion.parse(release);
        AndroidInfo android = android();
        KernelConfig config = KernelConfig.read(fs, release);
        Set<String> ns = new LinkedHashSet<>(fs.list("/proc/self/ns"));
        Binaries bins = binaries();
        Mountinfo mounts = Mountinfo.parse(fs.text("/proc/self/mountinfo"));
        CgroupInfo cgroups = cgroups(mounts, status);
        Verdict overlay = overlay(config);
        NamespaceProbe nsProbe = new NamespaceProbe(fs, runner, cache(), bins, status, config, ns);
        Verdict namespaces = nsProbe.containerNamespaces(CONTAINER_NS);
        Verdict userns = nsProbe.userNamespaces();
        Verdict overlayMount = Verdict.unknown("not probed (full probe only)");
        if (full) {
            bins = bins.withVersions(new VersionProbe(runner, cache(), fs).versions(bins));
            overlayMount = new OverlayProbe(runner, bins, status, kernel, userns).tryMount(overlay, scratch);
        }
        List<String> security = securityOptions(status, config, ns, cgroups);
        HostInfo info = new HostInfo(kernel, architecture(), operatingSystem(android), android, status, config, ns,
                namespaces, userns, cgroups, cgroups.version() == CgroupInfo.Version.NONE ? "none"
                : fs.isDirectory("/run/systemd/system") ? "systemd" : "cgroupfs",
                overlay, overlayMount, bins, security, List.of(), full);
        return withNotes(info);
    }

    private ProbeCache cache() {
        if (cache == null) {
            String bootId = fs.line("/proc/sys/kernel/random/boot_id");
            cache = cacheDir == null || bootId == null ? ProbeCache.none()
                    : new ProbeCache(cacheDir.resolve("host-probe.json"), bootId);
        }
        return cache;
    }

    private String architecture() {
        String arch = fs.line("/proc/sys/kernel/arch");
        if (arch != null && !arch.isEmpty()) return arch;
        String java = System.getProperty("os.arch", "unknown");
        return switch (java) {
            case "amd64" -> "x86_64";
            case "x86" -> "i686";
            case "arm" -> "armv7l";
            default -> java;
        };
    }

    private String operatingSystem(AndroidInfo android) {
        if (android.android()) return "Android" + (android.release() == null ? "" : " " + android.release());
        String text = orElse(fs.text("/etc/os-release"), fs.text("/usr/lib/os-release"));
        String pretty = osReleaseValue(text, "PRETTY_NAME");
        return pretty != null ? pretty : "Linux";
    }

    /** A value of os-release text, unquoted; null when absent. */
    static String osReleaseValue(String text, String key) {
        String v = AndroidInfo.prop(text, key);
        if (v == null) return null;
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            v = v.substring(1, v.length() - 1);
        }
        return v;
    }

    private AndroidInfo android() {
        List<String> evidence = new ArrayList<>();
        String buildProp = fs.text("/system/build.prop");
        if (fs.exists("/system/build.prop")) evidence.add("/system/build.prop");
        if (fs.env("ANDROID_ROOT") != null && fs.env("ANDROID_DATA") != null) evidence.add("ANDROID_ROOT");
        String termuxVersion = fs.env("TERMUX_VERSION");
        String prefix = fs.env("PREFIX");
        boolean termux = termuxVersion != null || prefix != null && prefix.contains("com.termux");
        if (termux) evidence.add(termuxVersion != null ? "TERMUX_VERSION" : "PREFIX");
        boolean getprop = fs.exists("/system/bin/getprop");
        if (evidence.isEmpty()) return AndroidInfo.notAndroid();
        int sdk = AndroidInfo.sdk(fs.env("ANDROID__BUILD_VERSION_SDK"));
        if (sdk == 0) sdk = AndroidInfo.sdk(AndroidInfo.prop(buildProp, "ro.build.version.sdk"));
        if (sdk == 0 && getprop) sdk = getpropSdk();
        String release = AndroidInfo.prop(buildProp, "ro.build.version.release");
        return new AndroidInfo(true, sdk, release, termux, termuxVersion, evidence);
    }

    private int getpropSdk() {
        String cached = cache().string("getprop.sdk");
        if (cached != null) return AndroidInfo.sdk(cached);
        CommandRunner.Result r = runner.run(List.of("/system/bin/getprop", "ro.build.version.sdk"), TIMEOUT);
        String sdk = r.ok() ? r.stdout().strip() : "";
        if (r.ok()) cache().put("getprop.sdk", sdk);
        return AndroidInfo.sdk(sdk);
    }

    private Binaries binaries() {
        Map<String, String> tools = new LinkedHashMap<>();
        for (String t : Binaries.TOOLS) {
            String p = fs.which(t);
            if (p != null) tools.put(t, p);
        }
        String cniDir = null;
        List<String> plugins = List.of();
        for (String d : Binaries.CNI_DIRS) {
            List<String> l = fs.list(d);
            if (!l.isEmpty()) {
                cniDir = d;
                plugins = l;
                break;
            }
        }
        List<String> qemu = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String dir : fs.pathDirs()) {
            for (String name : fs.list(dir)) {
                if (Binaries.ociArchOfQemu(name) != null && seen.add(name)) qemu.add(dir + "/" + name);
            }
        }
        List<Binaries.Binfmt> binfmt = new ArrayList<>();
        for (String name : fs.list("/proc/sys/fs/binfmt_misc")) {
            String text = name.startsWith("qemu-") ? fs.text("/proc/sys/fs/binfmt_misc/" + name) : null;
            if (text != null) binfmt.add(Binaries.Binfmt.parse(name, text));
        }
        return new Binaries(tools, Map.of(), cniDir, plugins, qemu, binfmt);
    }

    private CgroupInfo cgroups(Mountinfo mounts, ProcStatus status) {
        String unified = mounts.ofType("cgroup2").stream().map(Mountinfo.Mount::mountPoint).findFirst().orElse(null);
        CgroupInfo info = CgroupInfo.parse(mounts, unified == null ? null : fs.text(unified + "/cgroup.controllers"));
        if (info.version() == CgroupInfo.Version.NONE) {
            return info.withWritable(Verdict.no("no cgroup filesystem mounted"));
        }
        Map<String, String> roots = new HashMap<>();
        Map<String, Boolean> readOnly = new HashMap<>();
        for (Mountinfo.Mount m : mounts.mounts()) {
            roots.put(m.mountPoint(), m.root());
            readOnly.put(m.mountPoint(), m.readOnly());
        }
        String dir = info.ownCgroupDir(fs.text("/proc/self/cgroup"), roots);
        if (dir == null) return info.withWritable(Verdict.unknown("own cgroup not found in /proc/self/cgroup"));
        String mount = readOnly.keySet().stream().filter(m -> dir.equals(m) || dir.startsWith(m + "/"))
                .max((a, b) -> a.length() - b.length()).orElse(null);
        if (mount != null && readOnly.get(mount)) return info.withWritable(Verdict.no(mount + " is mounted read-only"));
        return info.withWritable(fs.isWritable(dir) ? Verdict.yes(dir + " is writable")
                : Verdict.no(dir + " is not writable by uid " + status.effectiveUid()));
    }

    private Verdict overlay(KernelConfig config) {
        String fss = fs.text("/proc/filesystems");
        if (fss != null && fss.lines().anyMatch(l -> l.strip().endsWith("\toverlay") || l.strip().equals("overlay")
                || l.strip().endsWith(" overlay"))) {
            return Verdict.yes("overlay is in /proc/filesystems");
        }
        if (config.state("OVERLAY_FS") == KernelConfig.State.MODULE) {
            return Verdict.unknown("overlay is a module not loaded yet (modprobe overlay)");
        }
        return Verdict.no(fss == null ? "/proc/filesystems unreadable" : "kernel has no overlay filesystem");
    }

    private List<String> securityOptions(ProcStatus status, KernelConfig config, Set<String> ns, CgroupInfo cg) {
        List<String> out = new ArrayList<>();
        if (status.seccompMode() >= 0 && config.state("SECCOMP_FILTER") != KernelConfig.State.MISSING) {
            out.add("name=seccomp");
        }
        if ("Y".equals(fs.line("/sys/module/apparmor/parameters/enabled"))) out.add("name=apparmor");
        if (fs.exists("/sys/fs/selinux/enforce")) out.add("name=selinux");
        if (!status.isRoot()) out.add("name=rootless");
        if (ns.contains("cgroup") && cg.version() == CgroupInfo.Version.V2) out.add("name=cgroupns");
        return out;
    }

    private static HostInfo withNotes(HostInfo i) {
        List<String> notes = new ArrayList<>(HostNotes.of(i));
        return new HostInfo(i.kernel(), i.architecture(), i.operatingSystem(), i.android(), i.process(),
                i.kernelConfig(), i.kernelNamespaces(), i.namespaces(), i.userNamespaces(), i.cgroups(),
                i.cgroupDriver(), i.overlay(), i.overlayMount(), i.binaries(), i.securityOptions(), notes, i.full());
    }

    private static String orElse(String a, String b) {
        return a != null ? a : b;
    }
}
