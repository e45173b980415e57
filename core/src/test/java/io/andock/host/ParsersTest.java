package io.andock.host;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The file parsers on sample texts: kernel config, mountinfo and cgroups, /proc/self/status, versions, binfmt. */
@Tag("unit")
class ParsersTest {

    static final String V1 = """
            25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            31 25 0:28 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
            32 31 0:29 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,release_agent=/lib/systemd/systemd-cgroups-agent,name=systemd
            35 31 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,cpu,cpuacct
            36 31 0:33 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,memory
            37 31 0:34 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:17 - cgroup cgroup rw,pids
            """;

    static final String V2 = """
            24 29 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
            28 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;

    static final String HYBRID = V1 + """
            40 31 0:38 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:11 - cgroup2 cgroup2 rw,nsdelegate
            """;

    @Test
    void kernelConfig_parsesBuiltinModuleAndNotSet() {
        KernelConfig k = KernelConfig.parse("sample", List.of(
                "# Automatically generated file; DO NOT EDIT.",
                "CONFIG_NAMESPACES=y", "CONFIG_USER_NS=y", "CONFIG_OVERLAY_FS=m", "# CONFIG_PID_NS is not set",
                "CONFIG_DEFAULT_HOSTNAME=\"localhost\"", "CONFIG_NR_CPUS=64", ""));
        assertThat(k.readable()).isTrue();
        assertThat(k.state("NAMESPACES")).isEqualTo(KernelConfig.State.BUILTIN);
        assertThat(k.state("CONFIG_OVERLAY_FS")).isEqualTo(KernelConfig.State.MODULE);
        assertThat(k.state("PID_NS")).isEqualTo(KernelConfig.State.MISSING);
        assertThat(k.state("VETH")).isEqualTo(KernelConfig.State.MISSING);
        assertThat(k.enabled("OVERLAY_FS")).isTrue();
        assertThat(k.missing(List.of("NAMESPACES", "PID_NS", "VETH"))).containsExactly("PID_NS", "VETH");
        assertThat(k.checked()).containsKeys("NAMESPACES", "POSIX_MQUEUE", "SECCOMP_FILTER", "OVERLAY_FS")
                .containsEntry("USER_NS", KernelConfig.State.BUILTIN);
    }

    @Test
    void kernelConfig_unreadable_knowsNothing() {
        KernelConfig k = KernelConfig.unreadable("/proc/config.gz: permission denied");
        assertThat(k.readable()).isFalse();
        assertThat(k.state("USER_NS")).isEqualTo(KernelConfig.State.UNKNOWN);
        assertThat(k.missing(KernelConfig.REQUIRED)).isEmpty();
    }

    @Test
    void mountinfo_v1() {
        CgroupInfo c = CgroupInfo.parse(Mountinfo.parse(V1), null);
        assertThat(c.version()).isEqualTo(CgroupInfo.Version.V1);
        assertThat(c.controllers()).containsExactly("cpu", "cpuacct", "memory", "pids");
        assertThat(c.v1Mounts()).containsEntry("name=systemd", "/sys/fs/cgroup/systemd")
                .containsEntry("cpuacct", "/sys/fs/cgroup/cpu,cpuacct").doesNotContainKey("xattr");
        assertThat(c.unifiedMount()).isNull();
        assertThat(c.versionName()).isEqualTo("1");
    }

    @Test
    void mountinfo_v2() {
        CgroupInfo c = CgroupInfo.parse(Mountinfo.parse(V2), "cpuset cpu io memory hugetlb pids rdma misc\n");
        assertThat(c.version()).isEqualTo(CgroupInfo.Version.V2);
        assertThat(c.unifiedMount()).isEqualTo("/sys/fs/cgroup");
        assertThat(c.controllers()).contains("cpu", "io", "memory", "pids");
        assertThat(c.ownCgroupDir("0::/user.slice/user-1000.slice/session-2.scope\n", Map.of()))
                .isEqualTo("/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope");
    }

    @Test
    void mountinfo_hybrid() {
        CgroupInfo c = CgroupInfo.parse(Mountinfo.parse(HYBRID), "hugetlb");
        assertThat(c.version()).isEqualTo(CgroupInfo.Version.HYBRID);
        assertThat(c.versionName()).isEqualTo("hybrid");
        assertThat(c.unifiedMount()).isEqualTo("/sys/fs/cgroup/unified");
        assertThat(c.controllers()).containsExactly("cpu", "cpuacct", "hugetlb", "memory", "pids");
        String self = "4:memory:/docker/abc\n1:name=systemd:/docker/abc\n0::/docker/abc\n";
        assertThat(c.ownCgroupDir(self, Map.of())).isEqualTo("/sys/fs/cgroup/memory/docker/abc");
        // inside a cgroup namespace the mount's root is the own cgroup: strip it
        assertThat(c.ownCgroupDir(self, Map.of("/sys/fs/cgroup/memory", "/docker/abc"))).isEqualTo("/sys/fs/cgroup/memory");
    }

    @Test
    void mountinfo_noCgroups_andEscapes() {
        Mountinfo m = Mountinfo.parse("50 1 8:1 / /mnt/my\\040disk rw,relatime - ext4 /dev/sda1 rw\nshort line\n");
        assertThat(m.mounts()).hasSize(1);
        assertThat(m.mounts().get(0).mountPoint()).isEqualTo("/mnt/my disk");
        assertThat(CgroupInfo.parse(m, null).version()).isEqualTo(CgroupInfo.Version.NONE);
        assertThat(Mountinfo.parse("31 23 0:28 / /sys/fs/cgroup ro,relatime - tmpfs tmpfs ro\n").mounts().get(0).readOnly()).isTrue();
    }

    @Test
    void procStatus_rootAndAndroidApp() {
        ProcStatus root = ProcStatus.parse("""
                Name:\tcat
                Uid:\t0\t0\t0\t0
                CapEff:\t000001fffeffffff
                NoNewPrivs:\t0
                Seccomp:\t0
                Seccomp_filters:\t0
                """);
        assertThat(root.isRoot()).isTrue();
        assertThat(root.hasCap(ProcStatus.CAP_SYS_ADMIN)).isTrue();
        assertThat(root.seccompName()).isEqualTo("disabled");
        ProcStatus app = ProcStatus.parse("Uid:\t10234\t10234\t10234\t10234\nCapEff:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\n");
        assertThat(app.effectiveUid()).isEqualTo(10234);
        assertThat(app.hasCap(ProcStatus.CAP_SYS_ADMIN)).isFalse();
        assertThat(app.noNewPrivs()).isTrue();
        assertThat(app.seccompName()).isEqualTo("filter");
        assertThat(ProcStatus.parse("Uid:\t1000\t1000\t1000\t1000\n").seccompName()).isEqualTo("unsupported");
    }

    @Test
    void kernelVersion() {
        KernelVersion v = KernelVersion.parse("6.18.44-fc-v669\n");
        assertThat(v.major()).isEqualTo(6);
        assertThat(v.minor()).isEqualTo(18);
        assertThat(v.atLeast(5, 11)).isTrue();
        assertThat(KernelVersion.parse("5.10.198-android12-9").atLeast(5, 11)).isFalse();
        assertThat(KernelVersion.parse("garbage").known()).isFalse();
    }

    @Test
    void versions_ofRuncCrunAndProotBanner() {
        assertThat(VersionProbe.versionOf("runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\n")).isEqualTo("1.1.5+ds1");
        assertThat(VersionProbe.versionOf("crun version 1.8.1\ncommit: f8a0\nspec: 1.0.0\n")).isEqualTo("1.8.1");
        assertThat(VersionProbe.versionOf(" _____ _____\n|__|  |__|__\\_____/\\_____/\\____| 5.1.0\n")).isEqualTo("5.1.0");
    }

    @Test
    void binfmt_andQemuNames() {
        Binaries.Binfmt b = Binaries.Binfmt.parse("qemu-aarch64",
                "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POCF\noffset 0\nmagic 7f454c46\n");
        assertThat(b.enabled()).isTrue();
        assertThat(b.interpreter()).isEqualTo("/usr/libexec/qemu-binfmt/aarch64-binfmt-P");
        assertThat(b.flags()).isEqualTo("POCF");
        assertThat(Binaries.ociArchOfQemu("/usr/bin/qemu-arm-static")).isEqualTo("arm");
        assertThat(Binaries.ociArchOfQemu("qemu-x86_64")).isEqualTo("amd64");
        assertThat(Binaries.ociArchOfQemu("qemu-img")).isNull();
    }

    @Test
    void osRelease_andBuildProp() {
        String os = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n";
        assertThat(HostProbe.osReleaseValue(os, "PRETTY_NAME")).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(HostProbe.osReleaseValue(os, "ID")).isEqualTo("debian");
        assertThat(AndroidInfo.prop("# c\nro.build.version.sdk=34\n", "ro.build.version.sdk")).isEqualTo("34");
        assertThat(AndroidInfo.sdk("x")).isZero();
    }
}
