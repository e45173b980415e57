package io.andock.host;

import io.andock.AndockException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code andock info}: a HostInfo and the driver choice, as JSON (fields akin to {@code docker info}) and as
 * text for people. A driver that cannot be chosen is reported ({@code Driver: none} with the error as reason),
 * not thrown: {@code info} must work on a machine where nothing runs.
 */
public record HostReport(HostInfo host, DriverChoice choice, String driverError) {

    /**
     * Chooses the driver (honouring a forced name) and keeps the outcome, success or "unavailable" error;
     * an unknown driver name is still thrown (invalid argument).
     */
    public static HostReport of(HostInfo host, Optional<String> forcedDriver) {
        try {
            return new HostReport(host, DriverChooser.choose(host, forcedDriver), null);
        } catch (AndockException e) {
            if (e.kind() != AndockException.Kind.UNAVAILABLE) throw e;
            return new HostReport(host, null, e.getMessage());
        }
    }

    public Map<String, Object> toJson() {
        HostInfo h = host;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Driver", choice == null ? "none" : choice.driver().id());
        m.put("DriverRuntime", choice == null ? null : choice.runtime());
        m.put("DriverReason", choice == null ? driverError : choice.summary());
        m.put("DriverReasons", choice == null ? List.of(driverError) : choice.reasons());
        m.put("KernelVersion", h.kernel().release());
        m.put("OperatingSystem", h.operatingSystem());
        m.put("OSType", "linux");
        m.put("Architecture", h.architecture());
        m.put("OciArchitecture", h.ociArchitecture());
        m.put("Android", android(h.android()));
        m.put("Rootless", h.rootless());
        m.put("Uid", h.process().effectiveUid());
        m.put("CgroupVersion", h.cgroups().versionName());
        m.put("CgroupDriver", h.cgroupDriver());
        m.put("Cgroups", cgroups(h.cgroups()));
        m.put("SecurityOptions", h.securityOptions());
        m.put("Runtimes", runtimes(h.binaries()));
        m.put("Namespaces", h.namespaces().toJson());
        m.put("UserNamespaces", h.userNamespaces().toJson());
        m.put("KernelNamespaces", h.kernelNamespaces().stream().sorted().toList());
        m.put("Overlay", h.overlay().toJson());
        m.put("OverlayMount", h.overlayMount().toJson());
        m.put("Process", process(h.process()));
        m.put("KernelConfig", kernelConfig(h.kernelConfig()));
        m.put("Binaries", binaries(h.binaries()));
        m.put("EmulatedArchitectures", foreign(h));
        m.put("FullProbe", h.full());
        m.put("Notes", h.notes());
        return m;
    }

    /** Foreign architectures qemu can run here (the host's own left out). */
    private static List<String> foreign(HostInfo h) {
        return h.binaries().emulatedArchitectures().stream().filter(a -> !a.equals(h.ociArchitecture())).toList();
    }

    private static Map<String, Object> android(AndroidInfo a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Android", a.android());
        m.put("Sdk", a.sdk());
        m.put("Release", a.release());
        m.put("Termux", a.termux());
        m.put("TermuxVersion", a.termuxVersion());
        m.put("Evidence", a.evidence());
        return m;
    }

    private static Map<String, Object> cgroups(CgroupInfo c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Version", c.versionName());
        m.put("Controllers", List.copyOf(c.controllers()));
        m.put("UnifiedMount", c.unifiedMount());
        m.put("V2Controllers", c.v2Controllers());
        m.put("Writable", c.writable().toJson());
        return m;
    }

    private static Map<String, Object> runtimes(Binaries b) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String r : List.of("runc", "crun", "proot")) {
            if (!b.has(r)) continue;
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("path", b.path(r));
            if (b.versions().containsKey(r)) e.put("version", b.versions().get(r));
            m.put(r, e);
        }
        return m;
    }

    private static Map<String, Object> process(ProcStatus p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Uid", p.effectiveUid());
        m.put("Seccomp", p.seccompName());
        m.put("NoNewPrivs", p.noNewPrivs());
        m.put("CapEff", String.format("%016x", p.capEff()));
        return m;
    }

    private static Map<String, Object> kernelConfig(KernelConfig k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Readable", k.readable());
        m.put("Source", k.source());
        m.put("UnreadableReason", k.unreadableReason());
        m.put("MissingRequired", k.missing(KernelConfig.REQUIRED));
        m.put("MissingOptional", k.missing(KernelConfig.OPTIONAL));
        Map<String, Object> items = new LinkedHashMap<>();
        k.checked().forEach((n, s) -> items.put(n, s.name().toLowerCase()));
        m.put("Items", items);
        return m;
    }

    private static Map<String, Object> binaries(Binaries b) {
        Map<String, Object> m = new LinkedHashMap<>(b.tools());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Tools", m);
        out.put("Versions", b.versions());
        out.put("CniDir", b.cniDir());
        out.put("CniPlugins", b.cniPlugins());
        out.put("QemuUser", b.qemuUser());
        List<Object> fmts = new ArrayList<>();
        for (Binaries.Binfmt f : b.binfmt()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("Name", f.name());
            e.put("Enabled", f.enabled());
            e.put("Interpreter", f.interpreter());
            e.put("Flags", f.flags());
            fmts.add(e);
        }
        out.put("Binfmt", fmts);
        return out;
    }

    /** The human-readable form, {@code docker info} style. */
    public String toText() {
        HostInfo h = host;
        StringBuilder b = new StringBuilder();
        line(b, 0, "Driver", choice == null ? "none" : choice.describe());
        if (choice != null) {
            for (String r : choice.reasons()) line(b, 1, null, "- " + r);
        } else {
            line(b, 1, null, "- " + driverError);
        }
        line(b, 0, "Kernel Version", h.kernel().release());
        line(b, 0, "Operating System", h.operatingSystem());
        line(b, 0, "Architecture", h.architecture() + " (" + h.ociArchitecture() + ")");
        line(b, 0, "Android", h.android().describe());
        line(b, 0, "Rootless", String.valueOf(h.rootless()) + " (uid " + h.process().effectiveUid() + ")");
        line(b, 0, "Cgroup Version", h.cgroups().versionName());
        line(b, 0, "Cgroup Driver", h.cgroupDriver());
        line(b, 1, "Controllers", String.join(" ", h.cgroups().controllers()));
        line(b, 1, "Writable", h.cgroups().writable().toString());
        line(b, 0, "Namespaces", h.namespaces().toString());
        line(b, 0, "User Namespaces", h.userNamespaces().toString());
        line(b, 0, "Overlay", h.overlay() + (h.full() ? "; mount: " + h.overlayMount() : ""));
        line(b, 0, "Seccomp", h.process().seccompName() + ", no_new_privs " + (h.process().noNewPrivs() ? 1 : 0));
        line(b, 0, "Security Options", String.join(" ", h.securityOptions()));
        List<String> rts = new ArrayList<>();
        runtimes(h.binaries()).forEach((k, v) -> rts.add(k + (h.binaries().versions().containsKey(k)
                ? " " + h.binaries().versions().get(k) : "")));
        line(b, 0, "Runtimes", rts.isEmpty() ? "none" : String.join(", ", rts));
        line(b, 0, "Tools", String.join(" ", h.binaries().tools().keySet()));
        Binaries bins = h.binaries();
        line(b, 0, "CNI Plugins", bins.cniDir() == null ? "none" : bins.cniDir() + " (" + bins.cniPlugins().size() + ")");
        line(b, 0, "Emulation", foreign(h).isEmpty() ? "none" : String.join(" ", foreign(h)));
        KernelConfig k = h.kernelConfig();
        if (k.readable()) {
            List<String> req = k.missing(KernelConfig.REQUIRED);
            List<String> opt = k.missing(KernelConfig.OPTIONAL);
            line(b, 0, "Kernel Config", k.source());
            line(b, 1, "Missing (required)", req.isEmpty() ? "none" : String.join(" ", req));
            line(b, 1, "Missing (optional)", opt.isEmpty() ? "none" : String.join(" ", opt));
        } else {
            line(b, 0, "Kernel Config", "unreadable: " + k.unreadableReason());
        }
        if (!h.notes().isEmpty()) {
            line(b, 0, "Notes", "");
            for (String n : h.notes()) line(b, 1, null, "- " + n);
        }
        return b.toString();
    }

    private static void line(StringBuilder b, int depth, String key, String value) {
        b.append(" ".repeat(depth * 2));
        if (key != null) b.append(key).append(':').append(value.isEmpty() ? "" : " ");
        b.append(value).append('\n');
    }
}
