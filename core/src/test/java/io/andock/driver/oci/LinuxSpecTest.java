package io.andock.driver.oci;

import io.andock.AndockException;
import io.andock.host.KernelVersion;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts: capabilities, seccomp, resources, namespaces, id mappings, rlimits. No root, no runtime. */
class LinuxSpecTest {

    @Test
    void capabilities_dockerDefault_hasDockersMask() {
        Set<String> caps = Capabilities.resolve(List.of(), List.of(), false);
        assertThat(caps).hasSize(14).isEqualTo(Capabilities.DOCKER_DEFAULT);
        assertThat(Long.toHexString(Capabilities.mask(caps))).isEqualTo("a80425fb");
    }

    @Test
    void capabilities_addDropAllPrivileged_asDocker() {
        assertThat(Capabilities.resolve(List.of("net_admin"), List.of("CAP_MKNOD", "chown"), false))
                .contains("CAP_NET_ADMIN").doesNotContain("CAP_MKNOD", "CAP_CHOWN").hasSize(13);
        assertThat(Capabilities.resolve(List.of("KILL"), List.of("ALL"), false)).containsExactly("CAP_KILL");
        // "all" is what this process may hand on: its bounding set (a sandbox may lack some)
        List<String> grantable = Capabilities.grantable();
        assertThat(grantable).isSubsetOf(Capabilities.ALL).contains("CAP_SYS_ADMIN", "CAP_CHOWN");
        assertThat(Capabilities.resolve(List.of("ALL"), List.of("SYS_ADMIN"), false))
                .hasSize(grantable.size() - 1).doesNotContain("CAP_SYS_ADMIN");
        assertThat(Capabilities.resolve(List.of(), List.of("ALL"), true)).containsExactlyInAnyOrderElementsOf(grantable);
        assertThatThrownBy(() -> Capabilities.resolve(List.of("FLY"), List.of(), false))
                .isInstanceOf(AndockException.class).hasMessageContaining("unknown capability: \"FLY\"");
        Map<String, Object> section = Capabilities.processSection(Set.of("CAP_KILL"));
        assertThat(section.get("effective")).isEqualTo(List.of("CAP_KILL"));
        assertThat(section.get("ambient")).isEqualTo(List.of());
    }

    @Test
    void seccomp_allowlistDependsOnCapsArchAndKernel() {
        KernelVersion k = KernelVersion.parse("6.1.0");
        Map<String, Object> plain = SeccompProfile.build(Capabilities.DOCKER_DEFAULT, "amd64", k);
        assertThat(plain.get("defaultAction")).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(plain.get("defaultErrnoRet")).isEqualTo(1);
        assertThat(allowed(plain)).contains("read", "execve", "arch_prctl", "ptrace", "chroot")
                .doesNotContain("mount", "unshare", "setns", "reboot", "cacheflush", "init_module");
        assertThat(plain.toString()).contains("names=[clone3], action=SCMP_ACT_ERRNO, errnoRet=38");
        assertThat(plain.toString()).contains("value=" + SeccompProfile.CLONE_NAMESPACE_FLAGS + ", op=SCMP_CMP_MASKED_EQ");

        Map<String, Object> admin = SeccompProfile.build(Set.of("CAP_SYS_ADMIN"), "arm64", KernelVersion.parse("4.4.0"));
        assertThat(allowed(admin)).contains("mount", "unshare", "clone", "clone3", "cacheflush")
                .doesNotContain("ptrace", "arch_prctl", "chroot");
        assertThat(admin.get("architectures")).isEqualTo(List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"));
        assertThat(admin.toString()).doesNotContain("errnoRet=38");
    }

    @Test
    void seccomp_listParser_rejectsNamesBeforeAHeader() {
        assertThatThrownBy(() -> SeccompProfile.parse("read write\n")).hasMessageContaining("names before a header");
        assertThat(SeccompProfile.goArch("aarch64")).isEqualTo("arm64");
        assertThat(SeccompProfile.goArch("x86_64")).isEqualTo("amd64");
    }

    @SuppressWarnings("unchecked")
    private static List<String> allowed(Map<String, Object> profile) {
        return ((List<Map<String, Object>>) profile.get("syscalls")).stream()
                .filter(r -> r.get("action").equals("SCMP_ACT_ALLOW") && !r.containsKey("args"))
                .flatMap(r -> ((List<String>) r.get("names")).stream()).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void apply_setsLimitsCgroupPathAndKeepsTheSpecsOtherNamespaces() {
        Map<String, Object> spec = Map.of("process", Map.of("args", List.of("sh")),
                "linux", Map.of("namespaces", List.of(Map.of("type", "pid"), Map.of("type", "cgroup"), Map.of("type", "network"))));
        LinuxOptions o = LinuxOptions.builder().memoryBytes(64L << 20).nanoCpus(1_500_000_000L).pidsLimit(10)
                .network(Network.joined(Path.of("/run/netns/andock-abc"))).build();
        Map<String, Object> out = LinuxSpec.apply(spec, "abc", o);
        Map<String, Object> linux = (Map<String, Object>) out.get("linux");
        assertThat(linux.get("cgroupsPath")).isEqualTo("/andock/abc");
        assertThat(linux.get("resources").toString()).contains("memory={limit=67108864}", "quota=150000", "period=100000",
                "pids={limit=10}", "allow=false");
        assertThat((List<Map<String, Object>>) linux.get("namespaces")).containsExactly(Map.of("type", "pid"),
                Map.of("type", "cgroup"), Map.of("type", "network", "path", "/run/netns/andock-abc"));
        assertThat(linux).containsKeys("seccomp", "maskedPaths", "readonlyPaths").doesNotContainKey("uidMappings");
        assertThat(((Map<String, Object>) out.get("process")).get("args")).isEqualTo(List.of("sh"));

        Map<String, Object> priv = (Map<String, Object>) LinuxSpec.apply(spec, "abc",
                LinuxOptions.builder().privileged(true).network(Network.host()).cgroups(false).build()).get("linux");
        assertThat(priv).doesNotContainKeys("seccomp", "maskedPaths", "readonlyPaths", "resources", "cgroupsPath");
        assertThat(priv.get("namespaces").toString()).doesNotContain("network");
    }

    @Test
    @SuppressWarnings("unchecked")
    void apply_rootless_mapsIds_bindsSysOnHostNetwork_dropsUnmappedGidOption() {
        Map<String, Object> spec = Map.of("mounts", List.of(
                Map.of("destination", "/dev/pts", "type", "devpts", "source", "devpts", "options", List.of("newinstance", "gid=5")),
                Map.of("destination", "/sys", "type", "sysfs", "source", "sysfs", "options", List.of("ro"))));
        List<IdMapping> one = List.of(new IdMapping(0, 1000, 1));
        Map<String, Object> out = LinuxSpec.apply(spec, "x", LinuxOptions.builder().idMappings(one, one)
                .network(Network.host()).cgroups(false).build());
        assertThat(out.get("mounts").toString()).contains("options=[newinstance]", "source=/sys", "type=bind",
                "options=[rbind, nosuid, noexec, nodev, ro]").doesNotContain("sysfs");
        Map<String, Object> linux = (Map<String, Object>) out.get("linux");
        assertThat(linux.get("uidMappings").toString()).isEqualTo("[{containerID=0, hostID=1000, size=1}]");
        assertThat(linux.get("namespaces").toString()).contains("{type=user}");

        List<IdMapping> many = Rootless.mappings(1000, "alice", "bob:100000:65536\nalice:165536:65536\n", true);
        assertThat(many).containsExactly(new IdMapping(0, 1000, 1), new IdMapping(1, 165536, 65536));
        Map<String, Object> withRange = LinuxSpec.apply(spec, "x", LinuxOptions.builder().idMappings(many, many).cgroups(false).build());
        assertThat(withRange.get("mounts").toString()).contains("gid=5").contains("type=sysfs");
        assertThat(Rootless.mappings(1000, "alice", "alice:165536:65536\n", false)).hasSize(1);
    }

    @Test
    void options_rejectDockersInvalidValues() {
        assertThatThrownBy(() -> LinuxOptions.builder().memoryBytes(1 << 20).build()).hasMessageContaining("minimum memory limit");
        assertThatThrownBy(() -> LinuxOptions.builder().nanoCpus(1000).build()).hasMessageContaining("--cpus");
        assertThatThrownBy(() -> LinuxOptions.builder().capAdd(List.of("NOPE")).build()).hasMessageContaining("unknown capability");
    }

    @Test
    void rlimits_areClampedToTheHardLimit() {
        String limits = "Limit                     Soft Limit           Hard Limit           Units\n"
                + "Max open files            1024                 20000                files\n"
                + "Max processes             unlimited            unlimited            processes\n";
        List<Object> out = Rlimits.clamp(List.of(Map.of("type", "RLIMIT_NOFILE", "hard", 1048576L, "soft", 1048576L),
                Map.of("type", "RLIMIT_NPROC", "hard", 500L, "soft", 100L)), limits);
        assertThat(out.toString()).isEqualTo("[{type=RLIMIT_NOFILE, hard=20000, soft=20000}, {type=RLIMIT_NPROC, hard=500, soft=100}]");
    }
}
