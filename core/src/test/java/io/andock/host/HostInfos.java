package io.andock.host;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** HostInfo values for decision-table tests: a root Debian box by default, changed by withers. */
final class HostInfos {

    static final long ALL_CAPS = 0x1ffffffffffL;

    private ProcStatus status = new ProcStatus(0, 0, false, ALL_CAPS);
    private Verdict namespaces = Verdict.yes("kernel has them");
    private Verdict userns = Verdict.yes("root");
    private CgroupInfo.Version cgroup = CgroupInfo.Version.V2;
    private Verdict cgroupWritable = Verdict.yes("writable");
    private final Map<String, String> tools = new LinkedHashMap<>();
    private AndroidInfo android = AndroidInfo.notAndroid();

    static HostInfos rootDebian() {
        return new HostInfos().tools("runc", "crun", "proot", "unshare", "chroot");
    }

    HostInfos user(int uid) {
        status = new ProcStatus(uid, 0, false, 0);
        namespaces = Verdict.no("not root");
        cgroupWritable = Verdict.no("not writable");
        return this;
    }

    HostInfos namespaces(Verdict v) {
        namespaces = v;
        return this;
    }

    HostInfos userns(Verdict v) {
        userns = v;
        return this;
    }

    HostInfos cgroup(CgroupInfo.Version v) {
        cgroup = v;
        return this;
    }

    HostInfos tools(String... names) {
        tools.clear();
        for (String n : names) tools.put(n, "/usr/bin/" + n);
        return this;
    }

    HostInfos android(int sdk) {
        android = new AndroidInfo(true, sdk, "14", true, "0.118.3", List.of("TERMUX_VERSION"));
        return this;
    }

    HostInfo build() {
        Map<String, String> v1 = cgroup == CgroupInfo.Version.V1 || cgroup == CgroupInfo.Version.HYBRID
                ? Map.of("memory", "/sys/fs/cgroup/memory") : Map.of();
        String unified = cgroup == CgroupInfo.Version.V2 ? "/sys/fs/cgroup"
                : cgroup == CgroupInfo.Version.HYBRID ? "/sys/fs/cgroup/unified" : null;
        CgroupInfo cg = new CgroupInfo(cgroup, v1, unified, List.of(), cgroupWritable);
        Binaries bins = new Binaries(tools, Map.of(), null, List.of(), List.of(), List.of());
        return new HostInfo(KernelVersion.parse("6.1.0-18-amd64"), "x86_64", "Debian GNU/Linux 12 (bookworm)",
                android, status, KernelConfig.unreadable("test"), Set.of("mnt", "pid", "net", "ipc", "uts", "user"),
                namespaces, userns, cg, cgroup == CgroupInfo.Version.NONE ? "none" : "cgroupfs",
                Verdict.yes("test"), Verdict.unknown("not probed"), bins, List.of(), List.of(), false);
    }
}
