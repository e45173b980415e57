package io.andock.daemon.wire;

import io.andock.daemon.backend.ImageBackend;
import io.andock.engine.ImageDetails;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerState;
import io.andock.container.ContainerView;
import io.andock.container.PortBinding;
import io.andock.container.ProcessSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.andock.daemon.wire.FakeImages.id;
import static io.andock.daemon.wire.FakeImages.summary;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON shapes of list and inspect replies against what dockerd answered ({@code ../shared/docs/engine-api/samples}),
 * field names and types; and the three networks.
 */
@Tag("unit")
class WireShapesTest {
    static final Path SAMPLES = Path.of("..", "..", "shared", "docs", "engine-api", "samples");

    /** The sample's top-level keys, or Docker's documented ones when the shared docs are not there. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> sample(String file, String... fallbackKeys) throws IOException {
        Path p = SAMPLES.resolve(file);
        if (!Files.exists(p)) p = Path.of("/work/shared/docs/engine-api/samples", file);
        if (!Files.exists(p)) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (String k : fallbackKeys) m.put(k, null);
            return m;
        }
        Object o = Json.parse(Files.readAllBytes(p));
        return (Map<String, Object>) (o instanceof List<?> l ? l.get(0) : o);
    }

    static ContainerView container(String status, PortBinding... ports) {
        ContainerSpec.Builder b = ContainerSpec.builder("busybox");
        b.name("web");
        b.labels(Map.of("app", "x", ContainerWire.TTY_LABEL, "true"));
        for (PortBinding p : ports) b.port(p);
        ContainerSpec spec = b.build();
        ProcessSpec proc = new ProcessSpec(List.of("httpd", "-f"), List.of("PATH=/bin"), "/", 0, 0, List.of(), false);
        ContainerRecord r = new ContainerRecord("c".repeat(64), "web", "2024-05-01T10:00:00Z", spec, "busybox:latest",
                id(1).toString(), "oci", "overlay", "/x", "web", proc, List.of(), JsonObject.of(null));
        ContainerState s = new ContainerState(status, 42, 41, 1, "boot", 0, "2024-05-01T10:00:01Z", ContainerState.ZERO_TIME, "");
        return new ContainerView(r, s);
    }

    @Test
    void containerListItem_hasDockersFieldsAndTypes() throws IOException {
        Map<String, Object> docker = sample("containers-list.json", "Id", "Names", "Image", "ImageID", "Command", "Created",
                "Ports", "Labels", "State", "Status", "HostConfig", "NetworkSettings", "Mounts");
        Map<String, Object> ours = ContainerWire.listItem(container("running", new PortBinding("", 8080, 80, "tcp")),
                Instant.parse("2024-05-01T10:00:11Z"));
        assertThat(ours.keySet()).containsAll(docker.keySet());
        assertThat(ours.get("Names")).isEqualTo(List.of("/web"));
        assertThat(ours.get("Created")).isInstanceOf(Long.class);
        assertThat(ours.get("Status")).isEqualTo("Up 10 seconds");
        assertThat(ours.get("State")).isEqualTo("running");
        assertThat(ours.get("Command")).isEqualTo("httpd -f");
        assertThat(ours.get("Labels")).isEqualTo(Map.of("app", "x")); // andock's own label is hidden
        @SuppressWarnings("unchecked") Map<String, Object> port = ((List<Map<String, Object>>) ours.get("Ports")).get(0);
        assertThat(port).containsOnlyKeys("IP", "PrivatePort", "PublicPort", "Type");
        assertThat(port).containsEntry("PrivatePort", 80).containsEntry("PublicPort", 8080).containsEntry("Type", "tcp")
                .containsEntry("IP", "0.0.0.0");
        assertThat(Json.parse(Json.write(ours))).isInstanceOf(Map.class);
    }

    @Test
    void containerInspect_hasDockersConfigFields() throws IOException {
        Map<String, Object> docker = sample("container-inspect-running-web.json");
        Map<String, Object> core = new java.util.LinkedHashMap<>();
        core.put("Id", "c".repeat(64));
        core.put("Config", Map.of("Labels", Map.of("app", "x", ContainerWire.TTY_LABEL, "true"), "Cmd", List.of("sh")));
        Map<String, Object> ours = ContainerWire.inspect(core, container("running"), 3);
        assertThat(ours).containsEntry("RestartCount", 3).containsKeys("ResolvConfPath", "HostnamePath", "HostsPath",
                "HostConfig", "NetworkSettings");
        @SuppressWarnings("unchecked") Map<String, Object> config = (Map<String, Object>) ours.get("Config");
        assertThat(config).containsEntry("Tty", true).containsKeys("AttachStdin", "AttachStdout", "AttachStderr",
                "StdinOnce", "Domainname", "ExposedPorts");
        assertThat(config.get("Labels")).isEqualTo(Map.of("app", "x"));
        @SuppressWarnings("unchecked") Map<String, Object> hc = (Map<String, Object>) ours.get("HostConfig");
        assertThat(hc).containsKeys("LogConfig", "ConsoleSize");
        @SuppressWarnings("unchecked") Map<String, Object> ns = (Map<String, Object>) ours.get("NetworkSettings");
        if (docker.get("NetworkSettings") instanceof Map<?, ?> dns) {
            Set<Object> wanted = new TreeSet<>(List.of("Bridge", "SandboxID", "SandboxKey", "Gateway", "IPAddress",
                    "IPPrefixLen", "MacAddress", "Networks"));
            wanted.retainAll(dns.keySet());
            assertThat(ns.keySet()).containsAll(wanted.stream().map(String::valueOf).toList());
        }
    }

    @Test
    void containerStatusText_forEachState() {
        Instant now = Instant.parse("2024-05-01T12:00:01Z");
        assertThat(ContainerWire.listItem(container("created"), now).get("Status")).isEqualTo("Created");
        assertThat(ContainerWire.listItem(container("paused"), now).get("Status")).asString().startsWith("Up ").endsWith("(Paused)");
        assertThat(ContainerWire.listItem(container("dead"), now).get("Status")).isEqualTo("Dead");
    }

    @Test
    void imageList_oneItemPerId_withTagsDigestsAndDockersFields() throws IOException {
        Map<String, Object> docker = sample("images-list.json", "Containers", "Created", "Id", "Labels", "ParentId",
                "RepoDigests", "RepoTags", "SharedSize", "Size", "VirtualSize");
        Digest a = id(1), b = id(2), repoDigest = id(3);
        ImageBackend images = FakeImages.of(List.of(
                        summary("busybox", "latest", repoDigest, a, 100),
                        summary("busybox", "1", repoDigest, a, 100),
                        summary("<none>", "<none>", null, b, 200)),
                Map.of(a, FakeImages.details(a, List.of("busybox:latest", "busybox:1"), "{\"l\":\"v\"}"),
                        b, FakeImages.details(b, List.of(), "{}")));
        List<Map<String, Object>> list = ImageWire.list(images, Map.of(a.toString(), 2));
        assertThat(list).hasSize(2);
        assertThat(list.get(0).keySet()).containsExactlyInAnyOrderElementsOf(docker.keySet());
        assertThat(list.get(0)).containsEntry("Id", b.toString()).containsEntry("RepoTags", List.of())
                .containsEntry("Labels", null).containsEntry("Containers", 0); // newest first
        assertThat(list.get(1)).containsEntry("RepoTags", List.of("busybox:latest", "busybox:1"))
                .containsEntry("RepoDigests", List.of("busybox@" + repoDigest)).containsEntry("Containers", 2)
                .containsEntry("Labels", Map.of("l", "v")).containsEntry("Created", 100L);
    }

    @Test
    void imageFilters_referenceGlobDanglingLabel() {
        Digest a = id(1);
        java.util.function.Supplier<Map<String, Object>> img = () -> new java.util.LinkedHashMap<>(Map.of(
                "RepoTags", List.of("busybox:latest", "busybox:1", "127.0.0.1:5000/x/busybox:1"),
                "RepoDigests", List.of("busybox@" + a), "Labels", Map.of("l", "v")));
        Map<String, Object> m = img.get();
        assertThat(ImageWire.matches(m, Map.of("reference", List.of("busybox:1")))).isTrue();
        assertThat(m.get("RepoTags")).isEqualTo(List.of("busybox:1")); // narrowed as dockerd does
        assertThat(ImageWire.matches(img.get(), Map.of("reference", List.of("busy*")))).isTrue();
        assertThat(ImageWire.matches(img.get(), Map.of("reference", List.of("*/busybox")))).isFalse(); // * stops at /
        assertThat(ImageWire.matches(img.get(), Map.of("reference", List.of("nginx")))).isFalse();
        assertThat(ImageWire.matches(img.get(), Map.of("reference", List.of("busybox[")))).isFalse(); // a glob, not a regex
        assertThat(ImageWire.matches(img.get(), Map.of("dangling", List.of("true")))).isFalse();
        assertThat(ImageWire.matches(img.get(), Map.of("dangling", List.of("false")))).isTrue();
        assertThat(ImageWire.matches(img.get(), Map.of("label", List.of("l=v")))).isTrue();
        assertThat(ImageWire.matches(img.get(), Map.of("label", List.of("l")))).isTrue();
        assertThat(ImageWire.matches(img.get(), Map.of("label", List.of("l=w")))).isFalse();
        assertThat(ImageWire.matches(img.get(), Map.of("unknown", List.of("x")))).isTrue();
    }

    @Test
    void imageInspect_hasDockersFields() throws IOException {
        Map<String, Object> docker = sample("image-inspect-bb.json", "Id", "RepoTags", "RepoDigests", "Created", "Config",
                "Architecture", "Os", "Size", "RootFS", "GraphDriver", "Metadata");
        ImageDetails d = FakeImages.details(id(1), List.of("busybox:latest"), "null");
        Map<String, Object> ours = ImageWire.inspect(d);
        Set<String> expected = new TreeSet<>(docker.keySet());
        expected.removeAll(Set.of("Container", "ContainerConfig", "Parent", "Comment", "DockerVersion", "Author")); // deprecated or empty in 28
        assertThat(ours.keySet()).containsAll(expected);
        @SuppressWarnings("unchecked") Map<String, Object> config = (Map<String, Object>) ours.get("Config");
        assertThat(config).containsKeys("Env", "Cmd", "Entrypoint", "WorkingDir", "Labels", "Tty", "OpenStdin");
        assertThat(config.get("Cmd")).isEqualTo(List.of("sh"));
    }

    @Test
    void epoch_readsRfc3339WithNanosAndOffsets_elseZero() {
        assertThat(ImageWire.epoch("2024-05-01T10:00:00Z")).isEqualTo(1714557600L);
        assertThat(ImageWire.epoch("2024-05-01T10:00:00.123456789Z")).isEqualTo(1714557600L);
        assertThat(ImageWire.epoch("2024-05-01T12:00:00+02:00")).isEqualTo(1714557600L);
        assertThat(ImageWire.epoch("")).isZero();
        assertThat(ImageWire.epoch(null)).isZero();
        assertThat(ImageWire.epoch("yesterday")).isZero();
    }

    @Test
    void networks_haveDockersFields_andAreFoundByNameOrIdPrefix() {
        for (String n : NetworkWire.NAMES) {
            Map<String, Object> net = NetworkWire.network(n);
            assertThat(net).containsKeys("Name", "Id", "Created", "Scope", "Driver", "EnableIPv6", "IPAM", "Internal",
                    "Attachable", "Ingress", "ConfigOnly", "Containers", "Options", "Labels");
            assertThat((String) net.get("Id")).matches("[0-9a-f]{64}");
            assertThat(NetworkWire.find(n)).isEqualTo(net);
            assertThat(NetworkWire.find(NetworkWire.id(n))).isEqualTo(net);
            assertThat(NetworkWire.find(NetworkWire.id(n).substring(0, 3))).isEqualTo(net);
            assertThat(NetworkWire.find(NetworkWire.id(n).substring(0, 2))).isNull(); // too short to be an ID prefix
        }
        assertThat(NetworkWire.network("none").get("Driver")).isEqualTo("null");
        assertThat(NetworkWire.network("bridge").get("IPAM").toString()).contains("127.0.0.1");
        assertThat(NetworkWire.find("nonesuch")).isNull();
        assertThat(NetworkWire.find("")).isNull();
        assertThat(new String(Json.writeBytes(NetworkWire.network("host")), StandardCharsets.UTF_8)).startsWith("{\"Name\":\"host\",\"Id\":\"");
    }
}
