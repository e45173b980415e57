package io.andock.host;

import java.util.ArrayList;
import java.util.List;

/** Advice for a person reading {@code andock info}, derived from a HostInfo. */
final class HostNotes {

    private HostNotes() {
    }

    static List<String> of(HostInfo i) {
        List<String> out = new ArrayList<>();
        if (i.android().phantomProcessKiller()) {
            out.add("Android 12+ kills child processes of apps beyond 32 in total (phantom process killer), which "
                    + "kills containers at random. Turn it off: adb shell device_config put activity_manager "
                    + "max_phantom_processes 2147483647; adb shell settings put global "
                    + "settings_enable_monitor_phantom_procs false; on Android 14+ also Settings > Developer options > "
                    + "\"Disable child process restrictions\".");
        }
        if (!i.kernelConfig().readable()) {
            out.add("kernel config unreadable (" + i.kernelConfig().unreadableReason()
                    + "); namespace support was judged from /proc/self/ns and real tries");
        }
        if (i.cgroups().version() == CgroupInfo.Version.HYBRID && i.binaries().has("crun")) {
            out.add("cgroup layout is hybrid (v1 controllers + cgroup2 at " + i.cgroups().unifiedMount()
                    + "): crun 1.8 refuses it, so runc is preferred");
        }
        if (i.process().seccompMode() == 2) {
            out.add("this process runs under a seccomp filter: some system calls are refused");
        }
        if (i.android().android() && i.process().isRoot() && !i.namespaces().isYes()) {
            out.add("rooted Android without namespace support: the chroot driver gives no isolation beyond the root directory");
        }
        return out;
    }
}
