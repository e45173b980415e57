package io.andock.container;

import io.andock.json.Json;
import io.andock.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OciSpecsTest {
    private static Map<String, Object> spec(String network, List<OciMount> mounts) {
        ProcessSpec p = new ProcessSpec(List.of("sh"), List.of("PATH=/bin"), "/w", 1000, 1000, List.of(10L), true);
        return OciSpecs.generate(new OciSpecs.Input(p, Path.of("/c/rootfs"), false, "box", mounts,
                Map.of("/etc/hosts", Path.of("/c/hosts")), network, Map.of(OciSpecs.PLATFORM_ANNOTATION, "linux/arm64/v8")));
    }

    @Test
    void process_root_andAnnotations() {
        JsonObject s = JsonObject.parse(Json.writeBytes(spec("none", List.of())));
        assertThat(s.string("ociVersion")).isEqualTo("1.0.2");
        JsonObject p = s.object("process");
        assertThat(p.strings("args")).containsExactly("sh");
        assertThat(p.bool("terminal")).isTrue();
        assertThat(p.string("cwd")).isEqualTo("/w");
        assertThat(p.object("user").number("uid", -1)).isEqualTo(1000);
        assertThat(p.object("user").list("additionalGids")).containsExactly(10L);
        assertThat(s.object("root").string("path")).isEqualTo("/c/rootfs");
        assertThat(s.string("hostname")).isEqualTo("box");
        assertThat(s.object("annotations").string(OciSpecs.PLATFORM_ANNOTATION)).isEqualTo("linux/arm64/v8");
    }

    @Test
    void mounts_defaultsThenUserThenEtcFiles_withWritableShm() {
        Map<String, Object> s = spec("none", List.of(OciMount.bind("/h", "/data", true)));
        List<String> dests = JsonObject.of(s).objects("mounts").stream().map(m -> m.string("destination")).toList();
        assertThat(dests).containsExactly("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm",
                "/data", "/etc/hosts");
        JsonObject data = JsonObject.of(s).objects("mounts").get(7);
        assertThat(data.strings("options")).containsExactly("rbind", "ro");
        JsonObject shm = JsonObject.of(s).objects("mounts").get(6);
        assertThat(shm.strings("options")).contains("mode=1777").doesNotContain("ro");
    }

    @Test
    void namespaces_followTheNetworkMode_andPathsAreMasked() {
        JsonObject linux = JsonObject.of(spec("host", List.of())).object("linux");
        List<String> types = linux.objects("namespaces").stream().map(n -> n.string("type")).toList();
        assertThat(types).contains("pid", "mount", "ipc").doesNotContain("network", "uts");
        assertThat(JsonObject.of(spec("host", List.of())).has("hostname")).isFalse();
        List<String> none = JsonObject.of(spec("none", List.of())).object("linux").objects("namespaces").stream()
                .map(n -> n.string("type")).toList();
        assertThat(none).contains("network", "uts");
        assertThat(linux.strings("maskedPaths")).contains("/proc/kcore", "/sys/firmware");
        assertThat(linux.strings("readonlyPaths")).contains("/proc/sys", "/proc/sysrq-trigger");
    }
}
