package io.andock.daemon.wire;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerView;
import io.andock.container.Healthcheck;
import io.andock.container.LogConfig;
import io.andock.container.MountSpec;
import io.andock.container.PortBinding;
import io.andock.container.Resources;
import io.andock.container.RestartPolicy;
import io.andock.container.SecurityOptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Container JSON: the create body (docker CLI, docker-java with its explicit nulls, Testcontainers) to a
 * {@link ContainerSpec}, and list items and inspect documents in dockerd's shape.
 */
public final class ContainerWire {
    /** Marks a container the client created with {@code Tty: true} (see {@link #spec}). */
    public static final String TTY_LABEL = "io.andock.daemon.tty";

    private ContainerWire() {}

    /** Whether the client asked for a TTY: the stream format it expects. */
    public static boolean tty(io.andock.container.ContainerRecord r) {
        return r.spec().tty() || "true".equals(r.spec().labels().get(TTY_LABEL));
    }

    private static Map<String, String> visibleLabels(Map<String, String> labels) {
        if (!labels.containsKey(TTY_LABEL)) return labels;
        Map<String, String> m = new LinkedHashMap<>(labels);
        m.remove(TTY_LABEL);
        return m;
    }

    public static ContainerSpec spec(JsonObject b, String name, String platform) {
        return spec(b, name, platform, n -> false);
    }

    /** @param userNetwork whether a NetworkMode names a user-defined network */
    public static ContainerSpec spec(JsonObject b, String name, String platform, java.util.function.Predicate<String> userNetwork) {
        String image = b.string("Image");
        if (image == null || image.isEmpty()) throw AndockException.invalid("No command specified: an image is required (Image)");
        JsonObject h = b.object("HostConfig");
        CreateChecks.check(b, h);
        ContainerSpec.Builder s = ContainerSpec.builder(image);
        if (name != null && !name.isEmpty()) s.name(name);
        // dockerd: an empty list means "the image's" (Testcontainers sends "Cmd": []); --entrypoint "" sends [""]
        List<String> entrypoint = stringsOrString(b, "Entrypoint"), cmd = stringsOrString(b, "Cmd");
        if (entrypoint != null && !entrypoint.isEmpty()) s.entrypoint(entrypoint.equals(List.of("")) ? List.of() : entrypoint);
        if (cmd != null && !cmd.isEmpty()) s.cmd(cmd);
        if (b.strings("Env") != null) s.env(b.strings("Env"));
        if (!b.string("WorkingDir", "").isEmpty()) s.workingDir(b.string("WorkingDir"));
        if (!b.string("User", "").isEmpty()) s.user(b.string("User"));
        if (!b.string("Hostname", "").isEmpty()) s.hostname(b.string("Hostname"));
        if (!b.string("StopSignal", "").isEmpty()) s.stopSignal(b.string("StopSignal"));
        if (b.has("StopTimeout")) s.stopTimeout((int) b.number("StopTimeout", 10));
        if (b.has("Healthcheck")) s.healthcheck(Healthcheck.fromJson(b.object("Healthcheck")));
        s.openStdin(b.bool("OpenStdin"));
        Map<String, String> labels = new LinkedHashMap<>(b.stringMap("Labels"));
        // A pty where the host can make one (io.andock.task.Pty); else pipes, and the client still sees a raw
        // (TTY-style) stream. Remembered in a label either way.
        if (b.bool("Tty")) {
            labels.put(TTY_LABEL, "true");
            if (io.andock.task.Pty.available()) s.tty(true);
            // [height, width]: the pty has the client's size from its first byte (the resize comes after start)
            List<Object> size = h.has("ConsoleSize") ? h.list("ConsoleSize") : List.of();
            if (size.size() == 2 && size.get(0) instanceof Number rows && size.get(1) instanceof Number cols
                    && rows.longValue() > 0 && cols.longValue() > 0 && rows.longValue() <= 65535 && cols.longValue() <= 65535) {
                s.consoleSize(rows.intValue(), cols.intValue());
            }
        }
        s.labels(labels);
        for (String bind : orEmpty(h.strings("Binds"))) s.mount(MountSpec.parseVolume(bind));
        for (JsonObject m : h.objects("Mounts")) s.mount(mount(m));
        anonymousVolumes(b, h).forEach(s::mount);
        for (Map.Entry<String, String> t : h.stringMap("Tmpfs").entrySet()) {
            s.mount(MountSpec.parseTmpfs(t.getValue().isEmpty() ? t.getKey() : t.getKey() + ":" + t.getValue()));
        }
        for (Map.Entry<String, Object> e : h.object("PortBindings").map().entrySet()) {
            String key = e.getKey();
            int slash = key.indexOf('/');
            int port = parsePort(slash < 0 ? key : key.substring(0, slash));
            String proto = slash < 0 ? "tcp" : key.substring(slash + 1);
            List<?> list = e.getValue() instanceof List<?> l ? l : List.of();
            if (list.isEmpty()) s.port(new PortBinding("", 0, port, proto));
            for (Object o : list) {
                JsonObject pb = JsonObject.of(o);
                String hp = pb.string("HostPort", "");
                s.port(new PortBinding(pb.string("HostIp", ""), hp.isEmpty() ? 0 : parsePort(hp.contains("-") ? hp.substring(0, hp.indexOf('-')) : hp), port, proto));
            }
        }
        String net = h.string("NetworkMode", "");
        if (!net.isEmpty() && !net.equals("default") && !net.equals("bridge")) {
            if (!net.equals("host") && !net.equals("none") && !userNetwork.test(net)) throw AndockException.notFound("network " + net + " not found");
            s.networkMode(net); // a user network: its own bridge, or loopback names under proot and chroot
        }
        JsonObject rp = h.object("RestartPolicy");
        String rpName = rp.string("Name", "");
        if (!rpName.isEmpty() && !rpName.equals("no")) s.restartPolicy(new RestartPolicy(rpName, (int) rp.number("MaximumRetryCount", 0)));
        s.autoRemove(h.bool("AutoRemove"));
        s.init(h.bool("Init"));
        long memory = h.number("Memory", 0), nanoCpus = h.number("NanoCpus", 0), pids = h.number("PidsLimit", 0);
        if (nanoCpus == 0 && h.number("CpuQuota", 0) > 0) {
            nanoCpus = h.number("CpuQuota", 0) * 1_000_000_000L / Math.max(1, h.number("CpuPeriod", 100_000));
        }
        if (memory > 0 || nanoCpus > 0 || pids > 0) s.resources(new Resources(memory, nanoCpus, Math.max(0, pids)));
        boolean seccomp = orEmpty(h.strings("SecurityOpt")).stream().noneMatch(o -> o.replace(':', '=').equals("seccomp=unconfined"));
        s.security(new SecurityOptions(orEmpty(h.strings("CapAdd")), orEmpty(h.strings("CapDrop")), h.bool("Privileged"), seccomp));
        if (platform != null && !platform.isEmpty()) s.platform(platform);
        JsonObject log = h.object("LogConfig");
        // the CLI sends {"Type": "", "Config": {}} when no --log-driver was given: the engine's default then
        if (!log.string("Type", "").isEmpty() || !log.stringMap("Config").isEmpty()) {
            s.logConfig(new LogConfig(log.string("Type", ""), log.stringMap("Config")));
        }
        if (h.strings("Links") != null) s.links(h.strings("Links"));
        if (h.has("GroupAdd") && h.list("GroupAdd") != null) { // strings as the CLI sends them; numbers too
            s.groupAdd(h.list("GroupAdd").stream().map(g -> g instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(g)).toList());
        }
        String driver = b.stringMap("Labels").get("io.andock.driver");
        if (driver != null) s.driver(driver);
        return s.build();
    }

    /**
     * {@code Config.Volumes} ({@code docker run -v /data} sends only this): an anonymous volume at each path that no
     * bind, mount or tmpfs of the HostConfig already covers, as dockerd creates them.
     */
    static List<MountSpec> anonymousVolumes(JsonObject b, JsonObject h) {
        java.util.Set<String> covered = new java.util.HashSet<>();
        for (String bind : orEmpty(h.strings("Binds"))) {
            String[] p = bind.split(":", -1);
            if (p.length >= 2) covered.add(normalTarget(p[1]));
        }
        for (JsonObject m : h.objects("Mounts")) covered.add(normalTarget(m.string("Target", "")));
        for (String t : h.stringMap("Tmpfs").keySet()) covered.add(normalTarget(t));
        List<MountSpec> out = new java.util.ArrayList<>();
        for (String target : b.object("Volumes").map().keySet()) {
            if (!covered.add(normalTarget(target))) continue;
            out.add(MountSpec.parseVolume(target.split(":", -1)[0]));
        }
        return out;
    }

    private static String normalTarget(String t) {
        return t.isEmpty() ? t : java.nio.file.Path.of("/").resolve(t).normalize().toString();
    }

    private static List<String> stringsOrString(JsonObject b, String key) {
        Object v = b.map().get(key);
        if (v == null) return null;
        if (v instanceof String str) return List.of("/bin/sh", "-c", str);
        return b.strings(key);
    }

    private static MountSpec mount(JsonObject m) {
        String type = m.string("Type", "volume");
        String target = m.string("Target");
        if (target == null || target.isEmpty()) throw AndockException.invalid("invalid mount config: Target is required");
        String source = m.string("Source", "");
        return new MountSpec(type, source.isEmpty() ? null : source, target, m.bool("ReadOnly"), "");
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw AndockException.invalid("invalid port: " + s);
        }
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    /** {@code GET /containers/json} item. */
    public static Map<String, Object> listItem(ContainerView v, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", v.id());
        m.put("Names", List.of("/" + v.name()));
        m.put("Image", v.record().spec().image());
        m.put("ImageID", v.record().imageId());
        m.put("Command", String.join(" ", v.record().process().args()));
        m.put("Created", ImageWire.epoch(v.record().created()));
        List<Object> ports = new ArrayList<>();
        for (PortBinding p : v.record().spec().ports()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("IP", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp());
            pm.put("PrivatePort", p.containerPort());
            pm.put("PublicPort", p.hostPort() == 0 ? p.containerPort() : p.hostPort());
            pm.put("Type", p.protocol());
            ports.add(pm);
        }
        m.put("Ports", ports);
        m.put("Labels", visibleLabels(v.record().spec().labels()));
        m.put("State", v.state().status());
        m.put("Status", v.statusText(now));
        m.put("HostConfig", Map.of("NetworkMode", network(v)));
        m.put("NetworkSettings", Map.of("Networks", Map.of(network(v), endpoint())));
        m.put("Mounts", List.of());
        return m;
    }

    static String network(ContainerView v) {
        String n = v.record().spec().networkMode();
        return n == null ? "host" : n;
    }

    private static Map<String, Object> endpoint() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("NetworkID", NetworkWire.id("host"));
        e.put("EndpointID", "");
        e.put("Gateway", "");
        e.put("IPAddress", "");
        e.put("IPPrefixLen", 0);
        e.put("MacAddress", "");
        e.put("Aliases", null);
        return e;
    }

    /** {@code GET /containers/{id}/json}: core's document completed with what clients read. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> inspect(Map<String, Object> core, ContainerView v, int restartCount) {
        Map<String, Object> m = new LinkedHashMap<>(core);
        m.put("RestartCount", restartCount);
        m.put("ResolvConfPath", "");
        m.put("HostnamePath", "");
        m.put("HostsPath", "");
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) m.getOrDefault("Config", Map.of()));
        config.putIfAbsent("Domainname", "");
        config.put("Tty", tty(v.record()));
        if (config.get("Labels") instanceof Map<?, ?> l) config.put("Labels", visibleLabels((Map<String, String>) l));
        config.put("AttachStdin", false);
        config.put("AttachStdout", false);
        config.put("AttachStderr", false);
        config.put("StdinOnce", false);
        config.putIfAbsent("ExposedPorts", null);
        m.put("Config", config);
        Map<String, Object> hc = new LinkedHashMap<>((Map<String, Object>) m.getOrDefault("HostConfig", Map.of()));
        hc.putIfAbsent("LogConfig", Map.of("Type", "json-file", "Config", Map.of()));
        hc.putIfAbsent("ConsoleSize", List.of(0, 0));
        m.put("HostConfig", hc);
        Map<String, Object> ns = new LinkedHashMap<>((Map<String, Object>) m.getOrDefault("NetworkSettings", Map.of()));
        ns.putIfAbsent("Ports", Map.of());
        ns.put("Bridge", "");
        ns.put("SandboxID", "");
        ns.put("SandboxKey", "");
        ns.put("Gateway", "");
        ns.put("IPAddress", "");
        ns.put("IPPrefixLen", 0);
        ns.put("MacAddress", "");
        ns.put("Networks", userNetworks(ns.get("Networks")) != null ? userNetworks(ns.get("Networks")) : Map.of(network(v), endpoint()));
        m.put("NetworkSettings", ns);
        return m;
    }

    /** Core's {@code Networks} when the container is on a user network (they have their own addresses), else null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> userNetworks(Object networks) {
        if (!(networks instanceof Map<?, ?> m) || m.keySet().stream().allMatch(NetworkWire.NAMES::contains)) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
            out.put(e.getKey(), NetworkWire.NAMES.contains(e.getKey()) ? endpoint() : e.getValue());
        }
        return out;
    }
}
