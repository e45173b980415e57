package io.andock.container;

import io.andock.os.Signals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ps} filtering and the {@code inspect} document (field names as Docker's container inspect). */
public final class ContainerInspector {
    private ContainerInspector() {}

    public static List<ContainerView> list(ContainerStore store, ListOptions o) {
        List<ContainerView> out = new ArrayList<>();
        for (String id : store.ids()) {
            ContainerRecord r = store.recordOrNull(id);
            if (r == null) continue;
            ContainerView v;
            try {
                v = new ContainerView(r, store.state(id), HealthStatus.read(store.dir(id)));
            } catch (io.andock.AndockException e) {
                continue; // removed meanwhile
            }
            boolean hasStatusFilter = o.filters().stream().anyMatch(f -> f.startsWith("status="));
            if (!o.all() && !v.state().running() && !hasStatusFilter) continue;
            if (matches(v, o.filters())) out.add(v);
        }
        out.sort(Comparator.comparing((ContainerView v) -> v.record().created()).reversed());
        return out;
    }

    public static boolean matches(ContainerView v, List<String> filters) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq < 0) throw io.andock.AndockException.invalid("bad format of filter (expected name=value): " + f);
            byKey.computeIfAbsent(f.substring(0, eq), k -> new ArrayList<>()).add(f.substring(eq + 1));
        }
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            // Docker and-s label filters (each must hold) and or-s the values of every other key.
            boolean label = e.getKey().equals("label");
            boolean ok = label;
            for (String val : e.getValue()) ok = label ? ok && matches(v, "label", val) : ok || matches(v, e.getKey(), val);
            if (!ok) return false;
        }
        return true;
    }

    private static boolean matches(ContainerView v, String key, String val) {
        return switch (key) {
            case "status" -> v.state().status().equals(val);
            case "name" -> v.name().contains(val.startsWith("/") ? val.substring(1) : val);
            case "id" -> v.id().startsWith(val);
            case "label" -> {
                int eq = val.indexOf('=');
                Map<String, String> labels = v.record().spec().labels();
                yield eq < 0 ? labels.containsKey(val) : val.substring(eq + 1).equals(labels.get(val.substring(0, eq)));
            }
            case "ancestor" -> v.record().imageName().equals(val) || v.record().spec().image().equals(val);
            case "exited" -> !v.state().running() && Integer.toString(v.state().exitCode()).equals(val);
            case "health" -> (v.health() == null ? "none" : v.health().status()).equals(val);
            default -> throw io.andock.AndockException.invalid("invalid filter '" + key + "'");
        };
    }

    public static Map<String, Object> inspect(ContainerView v, ContainerDir dir, VolumeStore volumes, Map<String, Object> networkSettings) {
        ContainerRecord r = v.record();
        ContainerSpec s = r.spec();
        ContainerState st = v.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Created", r.created());
        m.put("Path", r.process().args().get(0));
        m.put("Args", r.process().args().subList(1, r.process().args().size()));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", st.status());
        state.put("Running", st.running()); // as Docker: paused and restarting containers are running too
        state.put("Paused", st.status().equals("paused"));
        state.put("Restarting", st.status().equals("restarting"));
        state.put("OOMKilled", false);
        state.put("Dead", st.status().equals("dead"));
        state.put("Pid", st.running() ? st.pid() : 0L);
        state.put("ExitCode", (long) st.exitCode());
        state.put("Error", st.error());
        state.put("StartedAt", st.startedAt());
        state.put("FinishedAt", st.finishedAt());
        if (v.health() != null) state.put("Health", v.health().toJson());
        m.put("State", state);
        m.put("Image", r.imageId());
        m.put("LogPath", dir.log().toString());
        m.put("Name", "/" + r.name());
        m.put("Driver", r.rootfsMode());
        m.put("ExecDriver", r.driver());
        m.put("Platform", "linux");
        m.put("HostConfig", hostConfig(s, r.name()));
        m.put("Mounts", mounts(r, volumes));
        m.put("Config", config(r));
        m.put("NetworkSettings", networkSettings);
        return m;
    }

    private static Map<String, Object> hostConfig(ContainerSpec s, String name) {
        Map<String, Object> h = new LinkedHashMap<>();
        List<String> binds = new ArrayList<>();
        for (MountSpec m : s.mounts()) {
            if (!m.type().equals(MountSpec.TMPFS) && m.source() != null) binds.add(m.source() + ":" + m.target() + (m.readOnly() ? ":ro" : ""));
        }
        h.put("Binds", binds);
        h.put("NetworkMode", s.networkMode() == null ? "host" : s.networkMode());
        Map<String, Object> pb = new LinkedHashMap<>();
        for (PortBinding p : s.ports()) {
            @SuppressWarnings("unchecked") List<Object> l = (List<Object>) pb.computeIfAbsent(p.key(), k -> new ArrayList<>());
            l.add(Map.of("HostIp", p.hostIp(), "HostPort", p.hostPort() == 0 ? "" : Integer.toString(p.hostPort())));
        }
        h.put("PortBindings", pb);
        h.put("RestartPolicy", Map.of("Name", s.restartPolicy().name(), "MaximumRetryCount", (long) s.restartPolicy().maxRetries()));
        h.put("AutoRemove", s.autoRemove());
        h.put("Init", s.init());
        h.put("Memory", s.resources().memoryBytes());
        h.put("NanoCpus", s.resources().nanoCpus());
        h.put("PidsLimit", s.resources().pidsLimit());
        h.put("CapAdd", s.security().capAdd());
        h.put("CapDrop", s.security().capDrop());
        h.put("Privileged", s.security().privileged());
        Map<String, Object> tmpfs = new LinkedHashMap<>();
        for (MountSpec m : s.mounts()) if (m.type().equals(MountSpec.TMPFS)) tmpfs.put(m.target(), m.options());
        h.put("Tmpfs", tmpfs);
        h.put("LogConfig", s.effectiveLogConfig().toJson());
        h.put("Links", s.links().isEmpty() ? null : s.links().stream().map(l -> Link.parse(l).inspectForm(name)).toList());
        h.put("GroupAdd", s.groupAdd().isEmpty() ? null : s.groupAdd());
        return h;
    }

    private static List<Object> mounts(ContainerRecord r, VolumeStore volumes) {
        List<Object> out = new ArrayList<>();
        for (MountSpec m : r.mounts()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("Type", m.type());
            if (m.type().equals(MountSpec.VOLUME)) {
                x.put("Name", m.source());
                x.put("Source", volumes.dataDir(m.source()).toString());
                x.put("Driver", "local");
            } else {
                x.put("Source", m.source() == null ? "" : m.source());
            }
            x.put("Destination", m.target());
            x.put("Mode", m.readOnly() ? "ro" : "");
            x.put("RW", !m.readOnly());
            out.add(x);
        }
        return out;
    }

    /**
     * dockerd's {@code Config.Env}: the user's entries as given (a bare {@code Foo} kept), then the image's whose
     * names the user did not give. What the process gets (defaults, HOSTNAME, HOME) is not in it.
     */
    public static List<String> configEnv(List<String> user, List<String> image) {
        List<String> out = new ArrayList<>(user);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String e : user) names.add(e.contains("=") ? e.substring(0, e.indexOf('=')) : e);
        for (String e : image == null ? List.<String>of() : image) {
            if (!names.contains(e.contains("=") ? e.substring(0, e.indexOf('=')) : e)) out.add(e);
        }
        return out;
    }

    private static Map<String, Object> config(ContainerRecord r) {
        ContainerSpec s = r.spec();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Hostname", r.hostname());
        c.put("User", s.user() != null ? s.user() : r.imageConfig().string("User", ""));
        c.put("Tty", s.tty());
        c.put("OpenStdin", s.openStdin());
        c.put("Env", configEnv(r.spec().env(), r.imageConfig().strings("Env")));
        c.put("Cmd", s.cmd() != null ? s.cmd() : s.entrypoint() != null ? null : r.imageConfig().strings("Cmd"));
        c.put("Image", s.image()); // as the user wrote it ("alpine", not "alpine:latest"), as dockerd keeps it
        Map<String, Object> vols = new LinkedHashMap<>();
        for (String k : r.imageConfig().object("Volumes").map().keySet()) vols.put(k, Map.of());
        c.put("Volumes", vols.isEmpty() ? null : vols);
        c.put("WorkingDir", r.process().cwd());
        c.put("Entrypoint", s.entrypoint() != null ? s.entrypoint() : r.imageConfig().strings("Entrypoint"));
        Map<String, String> labels = new LinkedHashMap<>(r.imageConfig().stringMap("Labels"));
        labels.putAll(s.labels());
        c.put("Labels", labels);
        c.put("StopSignal", Signals.name(r.stopSignal()));
        Map<String, Object> exposed = new LinkedHashMap<>();
        for (String k : r.imageConfig().object("ExposedPorts").map().keySet()) exposed.put(k, Map.of());
        for (PortBinding p : s.ports()) exposed.put(p.key(), Map.of());
        if (!exposed.isEmpty()) c.put("ExposedPorts", exposed);
        if (s.stopTimeout() != null) c.put("StopTimeout", (long) s.stopTimeout());
        // Docker's merge: the container's fields over the image's
        Healthcheck image = r.imageConfig().has("Healthcheck") ? Healthcheck.fromJson(r.imageConfig().object("Healthcheck")) : null;
        Healthcheck hc = s.healthcheck() == null ? image : s.healthcheck().over(image);
        if (hc != null) c.put("Healthcheck", hc.toJson());
        return c;
    }

    /** {@code NetworkSettings.Ports}: every exposed port, with its host bindings or null. */
    public static Map<String, Object> ports(ContainerRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : r.imageConfig().object("ExposedPorts").map().keySet()) out.put(k, null);
        for (PortBinding p : r.spec().ports()) {
            @SuppressWarnings("unchecked") List<Object> l = out.get(p.key()) instanceof List<?> x ? (List<Object>) x : new ArrayList<>();
            l.add(Map.of("HostIp", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(),
                    "HostPort", Integer.toString(p.hostPort() == 0 ? p.containerPort() : p.hostPort())));
            out.put(p.key(), l);
        }
        return out;
    }

    /** {@code ps}'s PORTS column. */
    public static String portsText(ContainerRecord r) {
        List<String> out = new ArrayList<>();
        for (PortBinding p : r.spec().ports()) {
            out.add(new PortBinding(p.hostIp(), p.hostPort() == 0 ? p.containerPort() : p.hostPort(), p.containerPort(), p.protocol()).display());
        }
        return String.join(", ", out);
    }
}
