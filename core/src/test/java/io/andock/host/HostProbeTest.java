package io.andock.host;

import io.andock.os.CommandRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** HostProbe over sample file trees, with a fake command runner that records every spawn. */
@Tag("unit")
class HostProbeTest {

    @TempDir
    Path root;
    @TempDir
    Path cache;

    private final List<List<String>> spawns = new ArrayList<>();
    private final Map<String, CommandRunner.Result> answers = new HashMap<>();
    private final Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin"));

    private final CommandRunner runner = (argv, timeout) -> {
        spawns.add(argv);
        String prog = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        return answers.getOrDefault(prog, new CommandRunner.Result(0, "", "", null));
    };

    private void file(String abs, String text) throws IOException {
        Path p = root.resolve(abs.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private void exe(String... paths) throws IOException {
        for (String abs : paths) {
            file(abs, "#!/bin/sh\n");
            Files.setPosixFilePermissions(root.resolve(abs.substring(1)), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private void configGz(String text) throws IOException {
        Path p = root.resolve("proc/config.gz");
        Files.createDirectories(p.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void machine(int uid, int seccomp, String capEff) throws IOException {
        file("/proc/self/status", "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\nCapEff:\t" + capEff
                + "\nNoNewPrivs:\t0\nSeccomp:\t" + seccomp + "\n");
        file("/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
        file("/proc/sys/kernel/arch", "x86_64\n");
        file("/proc/sys/kernel/random/boot_id", "11111111-2222-3333-4444-555555555555\n");
        file("/proc/sys/user/max_user_namespaces", "63000\n");
        file("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n");
        file("/proc/filesystems", "nodev\tsysfs\nnodev\tcgroup\nnodev\tcgroup2\nnodev\toverlay\n\text4\n");
        file("/proc/self/mountinfo", ParsersTest.HYBRID);
        file("/proc/self/cgroup", "4:memory:/\n0::/\n");
        Files.createDirectories(root.resolve("sys/fs/cgroup/memory"));
        for (String ns : List.of("cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts")) file("/proc/self/ns/" + ns, "");
        exe("/usr/bin/runc", "/usr/bin/crun", "/usr/bin/proot", "/usr/bin/unshare", "/usr/bin/mount", "/usr/bin/chroot",
                "/usr/bin/qemu-aarch64-static");
        file("/usr/lib/cni/bridge", "");
        file("/proc/sys/fs/binfmt_misc/status", "enabled\n");
        file("/proc/sys/fs/binfmt_misc/qemu-arm", "enabled\ninterpreter /usr/bin/qemu-arm-static\nflags: OCF\n");
    }

    private HostProbe probe() {
        return new HostProbe(new HostFs(root, env), runner, cache);
    }

    @Test
    void rootDebian_readsFilesOnly_andChoosesOciWithRunc() throws IOException {
        machine(0, 0, "000001ffffffffff");
        configGz("CONFIG_NAMESPACES=y\nCONFIG_USER_NS=y\n# CONFIG_VETH is not set\nCONFIG_OVERLAY_FS=m\n");
        HostInfo h = probe().quick();
        assertThat(spawns).isEmpty();
        assertThat(h.kernel().release()).isEqualTo("6.1.0-18-amd64");
        assertThat(h.operatingSystem()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(h.android().android()).isFalse();
        assertThat(h.kernelConfig().source()).isEqualTo("/proc/config.gz");
        assertThat(h.kernelConfig().missing(KernelConfig.REQUIRED)).contains("VETH", "PID_NS").doesNotContain("NAMESPACES");
        assertThat(h.namespaces().isYes()).isTrue();
        assertThat(h.userNamespaces().isYes()).isTrue();
        assertThat(h.cgroups().version()).isEqualTo(CgroupInfo.Version.HYBRID);
        assertThat(h.cgroups().writable().isYes()).isTrue();
        assertThat(h.overlay().isYes()).isTrue();
        assertThat(h.binaries().tools()).containsEntry("runc", "/usr/bin/runc").containsKey("proot");
        assertThat(h.binaries().cniPlugins()).containsExactly("bridge");
        assertThat(h.binaries().emulatedArchitectures()).containsExactly("arm", "arm64");
        assertThat(DriverChooser.choose(h).describe()).isEqualTo("oci (runc)");
    }

    @Test
    void androidApp_triesUnshareOnce_cachesIt_andChoosesProot() throws IOException {
        machine(10234, 2, "0000000000000000");
        file("/system/build.prop", "ro.build.version.sdk=34\nro.build.version.release=14\n");
        env.putAll(Map.of("ANDROID_ROOT", "/system", "ANDROID_DATA", "/data", "TERMUX_VERSION", "0.118.3",
                "PREFIX", "/data/data/com.termux/files/usr"));
        answers.put("unshare", new CommandRunner.Result(1, "", "unshare: unshare failed: Invalid argument\n", null));
        HostInfo h = probe().quick();
        assertThat(spawns).hasSize(1);
        assertThat(spawns.get(0)).containsExactly("/usr/bin/unshare", "-U", "-r", "true");
        assertThat(h.userNamespaces().isNo()).isTrue();
        assertThat(h.userNamespaces().reason()).contains("Invalid argument");
        assertThat(h.kernelConfig().readable()).isFalse();
        assertThat(h.android()).satisfies(a -> {
            assertThat(a.android()).isTrue();
            assertThat(a.sdk()).isEqualTo(34);
            assertThat(a.termux()).isTrue();
        });
        assertThat(h.operatingSystem()).isEqualTo("Android 14");
        assertThat(h.notes()).anySatisfy(n -> assertThat(n).contains("max_phantom_processes 2147483647"));
        assertThat(DriverChooser.choose(h).driver()).isEqualTo(DriverKind.PROOT);

        HostInfo again = probe().quick();
        assertThat(spawns).hasSize(1);
        assertThat(again.userNamespaces()).isEqualTo(h.userNamespaces());
    }

    @Test
    void unshareKilledBySignal_meansNoUserNamespaces() throws IOException {
        machine(10234, 2, "0");
        answers.put("unshare", new CommandRunner.Result(128 + 31, "", "", null));
        HostInfo h = new HostProbe(new HostFs(root, env), runner, null).quick();
        assertThat(h.userNamespaces().isNo()).isTrue();
        assertThat(h.userNamespaces().reason()).contains("SIGSYS");
    }

    @Test
    void userNamespacesDisabledBySysctl_needNoSpawn() throws IOException {
        machine(1000, 0, "0");
        file("/proc/sys/kernel/unprivileged_userns_clone", "0\n");
        HostInfo h = probe().quick();
        assertThat(spawns).isEmpty();
        assertThat(h.userNamespaces().reason()).isEqualTo("kernel.unprivileged_userns_clone is 0");
        file("/proc/sys/user/max_user_namespaces", "0\n");
        assertThat(probe().quick().userNamespaces().reason()).isEqualTo("user.max_user_namespaces is 0");
    }

    @Test
    void rootlessWithWorkingUnshare_choosesOciRootless() throws IOException {
        machine(1000, 0, "0");
        HostInfo h = probe().quick();
        assertThat(spawns).hasSize(1);
        assertThat(h.userNamespaces().isYes()).isTrue();
        assertThat(DriverChooser.choose(h).describe()).isEqualTo("oci (runc, rootless)");
    }

    @Test
    void getpropRunsOnlyWhenTheSdkIsNowhereElse() throws IOException {
        machine(0, 0, "000001ffffffffff");
        exe("/system/bin/getprop");
        env.put("TERMUX_VERSION", "0.118.3");
        answers.put("getprop", new CommandRunner.Result(0, "33\n", "", null));
        assertThat(probe().quick().android().sdk()).isEqualTo(33);
        assertThat(spawns).containsExactly(List.of("/system/bin/getprop", "ro.build.version.sdk"));
        env.put("ANDROID__BUILD_VERSION_SDK", "34");
        spawns.clear();
        assertThat(new HostProbe(new HostFs(root, env), runner, null).quick().android().sdk()).isEqualTo(34);
        assertThat(spawns).isEmpty();
    }

    @Test
    void rootUnderSeccomp_triesContainerNamespaces_andWithoutPidNamespace_choosesChroot() throws IOException {
        machine(0, 2, "000001ffffffffff");
        Files.delete(root.resolve("proc/self/ns/pid"));
        HostInfo h = probe().quick();
        assertThat(h.namespaces().reason()).isEqualTo("kernel lacks pid namespaces");
        assertThat(DriverChooser.choose(h).driver()).isEqualTo(DriverKind.CHROOT);
    }

    @Test
    void bootConfigIsTheFallback_andQuickIsMemoized() throws IOException {
        machine(0, 0, "000001ffffffffff");
        file("/boot/config-6.1.0-18-amd64", "CONFIG_USER_NS=y\n");
        HostProbe p = probe();
        HostInfo h = p.quick();
        assertThat(h.kernelConfig().source()).isEqualTo("/boot/config-6.1.0-18-amd64");
        assertThat(p.quick()).isSameAs(h);
    }

    @Test
    void fullProbe_asksVersions_andMountsOverlayInAPrivateNamespace() throws IOException {
        machine(0, 0, "000001ffffffffff");
        answers.put("runc", new CommandRunner.Result(0, "runc version 1.1.5+ds1\n", "", null));
        HostInfo h = probe().full(cache);
        assertThat(h.binaries().versions()).containsEntry("runc", "1.1.5+ds1");
        assertThat(h.overlayMount().isYes()).isTrue();
        assertThat(spawns).anySatisfy(a -> assertThat(a).startsWith("/usr/bin/unshare", "-m", "--propagation", "private",
                "/usr/bin/mount", "-t", "overlay"));
        int before = spawns.size();
        probe().full(cache);
        assertThat(spawns.stream().skip(before).filter(a -> a.contains("--version"))).isEmpty();
    }
}
