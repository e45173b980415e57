package io.andock.container;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user asked for in {@code create}/{@code run}: flags, not yet merged with the image. Null means "not
 * given" (so the image's value applies): an absent {@code entrypoint} keeps the image's, an empty one clears it.
 *
 * @param env        {@code -e} and {@code --env-file} entries, already parsed to {@code K=V}, in order
 * @param user       {@code name|uid[:group|gid]} or null
 * @param networkMode {@code host}, {@code none}, {@code bridge}, a user-defined network's name, or null (the driver's default)
 * @param init       {@code --init}: run a tiny init (tini) as the container's first process
 * @param stopTimeout seconds, or null for the default (10)
 * @param platform   {@code --platform} or null
 * @param driver     {@code --driver} override or null
 * @param consoleHeight the terminal's rows for {@code -t} at start (the API's {@code HostConfig.ConsoleSize}), 0: unknown
 * @param consoleWidth  its columns, 0: unknown
 * @param healthcheck {@code --health-*} / {@code Config.Healthcheck}, over the image's; null: the image's
 * @param logConfig  {@code --log-driver}/{@code --log-opt}; null: the engine's default (config.json's {@code log-driver})
 * @param links      {@code --link NAME[:ALIAS]}, as given (legacy links: the alias in /etc/hosts, the env vars)
 * @param groupAdd   {@code --group-add}: supplementary groups of the main process and execs, each a number or a group
 *                   name looked up in the container's {@code /etc/group} at create
 */
public record ContainerSpec(String image, String name, List<String> entrypoint, List<String> cmd, List<String> env,
                            String workingDir, String user, boolean tty, boolean openStdin, String hostname,
                            Map<String, String> labels, List<MountSpec> mounts, List<PortBinding> ports,
                            String networkMode, RestartPolicy restartPolicy, boolean autoRemove, boolean init,
                            String stopSignal, Integer stopTimeout, Resources resources, SecurityOptions security,
                            String platform, String driver, int consoleHeight, int consoleWidth,
                            Healthcheck healthcheck, LogConfig logConfig, List<String> links,
                            List<String> groupAdd) implements JsonWritable {

    /** {@code --group-add}: far above any real use; a group is a number or a name as /etc/group holds it. */
    private static final int MAX_GROUPS = 64;
    private static final java.util.regex.Pattern GROUP = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\$?");

    public ContainerSpec {
        if (image == null || image.isEmpty()) throw AndockException.invalid("an image is required");
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        ports = ports == null ? List.of() : List.copyOf(ports);
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        resources = resources == null ? Resources.NONE : resources;
        security = security == null ? SecurityOptions.DEFAULT : security;
        links = links == null ? List.of() : List.copyOf(links);
        for (String l : links) Link.parse(l);
        groupAdd = groupAdd == null ? List.of() : List.copyOf(groupAdd);
        if (groupAdd.size() > MAX_GROUPS) throw AndockException.invalid("at most " + MAX_GROUPS + " groups in --group-add");
        for (String g : groupAdd) {
            if (!GROUP.matcher(g).matches()) throw AndockException.invalid("invalid group " + StoreNames.printable(g) + " in --group-add");
        }
        if (name != null) validateName(name);
        if (consoleHeight < 0 || consoleWidth < 0 || consoleHeight > 65535 || consoleWidth > 65535) {
            throw AndockException.invalid("invalid console size " + consoleHeight + "x" + consoleWidth);
        }
        if (networkMode != null && !List.of("host", "none", "bridge").contains(networkMode) && !StoreNames.isNetworkName(networkMode)) {
            throw AndockException.invalid("network " + StoreNames.printable(networkMode) + " not found"); // a user network's name, else nothing
        }
        if (autoRemove && !restartPolicy.name().equals("no")) {
            throw AndockException.invalid("conflicting options: cannot specify both --restart and --rm");
        }
        for (String e : env) {
            if (e.isEmpty() || e.startsWith("=")) throw AndockException.invalid("invalid environment variable: " + e);
        }
    }

    /** Docker's {@code /?[a-zA-Z0-9][a-zA-Z0-9_.-]+}, bounded ({@link StoreNames#containerName}). */
    public static void validateName(String name) {
        StoreNames.containerName(name);
    }

    /** The logging driver this container writes with: its own, else (made before the engine's default was recorded) json-file. */
    public LogConfig effectiveLogConfig() {
        return logConfig == null ? LogConfig.DEFAULT : logConfig;
    }

    public static Builder builder(String image) {
        return new Builder(image);
    }

    public Builder toBuilder() {
        Builder b = new Builder(image);
        b.name = name; b.entrypoint = entrypoint; b.cmd = cmd; b.env = new ArrayList<>(env); b.workingDir = workingDir;
        b.user = user; b.tty = tty; b.openStdin = openStdin; b.hostname = hostname; b.labels = new LinkedHashMap<>(labels);
        b.mounts = new ArrayList<>(mounts); b.ports = new ArrayList<>(ports); b.networkMode = networkMode;
        b.restartPolicy = restartPolicy; b.autoRemove = autoRemove; b.init = init; b.stopSignal = stopSignal;
        b.stopTimeout = stopTimeout; b.resources = resources; b.security = security; b.platform = platform; b.driver = driver;
        b.consoleHeight = consoleHeight; b.consoleWidth = consoleWidth; b.healthcheck = healthcheck;
        b.logConfig = logConfig; b.links = new ArrayList<>(links); b.groupAdd = new ArrayList<>(groupAdd);
        return b;
    }

    /** Many optional fields: set what the user gave, leave the rest. */
    public static final class Builder {
        private final String image;
        private String name, workingDir, user, hostname, networkMode, stopSignal, platform, driver;
        private List<String> entrypoint, cmd;
        private List<String> env = new ArrayList<>();
        private boolean tty, openStdin, autoRemove, init;
        private Map<String, String> labels = new LinkedHashMap<>();
        private List<MountSpec> mounts = new ArrayList<>();
        private List<PortBinding> ports = new ArrayList<>();
        private RestartPolicy restartPolicy = RestartPolicy.NO;
        private Integer stopTimeout;
        private int consoleHeight, consoleWidth;
        private Resources resources = Resources.NONE;
        private SecurityOptions security = SecurityOptions.DEFAULT;
        private Healthcheck healthcheck;
        private LogConfig logConfig;
        private List<String> links = new ArrayList<>();
        private List<String> groupAdd = new ArrayList<>();

        private Builder(String image) { this.image = image; }

        public Builder name(String v) { name = v; return this; }
        public Builder entrypoint(List<String> v) { entrypoint = v; return this; }
        public Builder cmd(List<String> v) { cmd = v; return this; }
        public Builder cmd(String... v) { cmd = List.of(v); return this; }
        public Builder env(List<String> v) { env = new ArrayList<>(v); return this; }
        public Builder env(String kv) { env.add(kv); return this; }
        public Builder workingDir(String v) { workingDir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder openStdin(boolean v) { openStdin = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder label(String k, String v) { labels.put(k, v); return this; }
        public Builder labels(Map<String, String> v) { labels = new LinkedHashMap<>(v); return this; }
        public Builder mount(MountSpec v) { mounts.add(v); return this; }
        public Builder volume(String dashV) { mounts.add(MountSpec.parseVolume(dashV)); return this; }
        public Builder port(PortBinding v) { ports.add(v); return this; }
        public Builder publish(String dashP) { ports.add(PortBinding.parse(dashP)); return this; }
        public Builder ports(List<PortBinding> v) { ports = new ArrayList<>(v); return this; }
        public Builder networkMode(String v) { networkMode = v; return this; }
        public Builder restartPolicy(RestartPolicy v) { restartPolicy = v; return this; }
        public Builder autoRemove(boolean v) { autoRemove = v; return this; }
        public Builder init(boolean v) { init = v; return this; }
        public Builder stopSignal(String v) { stopSignal = v; return this; }
        public Builder stopTimeout(Integer v) { stopTimeout = v; return this; }
        public Builder resources(Resources v) { resources = v; return this; }
        public Builder security(SecurityOptions v) { security = v; return this; }
        public Builder platform(String v) { platform = v; return this; }
        public Builder driver(String v) { driver = v; return this; }
        public Builder consoleSize(int height, int width) { consoleHeight = height; consoleWidth = width; return this; }
        public Builder healthcheck(Healthcheck v) { healthcheck = v; return this; }
        public Builder logConfig(LogConfig v) { logConfig = v; return this; }
        public Builder links(List<String> v) { links = new ArrayList<>(v); return this; }
        public Builder groupAdd(List<String> v) { groupAdd = new ArrayList<>(v); return this; }

        public ContainerSpec build() {
            return new ContainerSpec(image, name, entrypoint, cmd, env, workingDir, user, tty, openStdin, hostname, labels,
                    mounts, ports, networkMode, restartPolicy, autoRemove, init, stopSignal, stopTimeout, resources,
                    security, platform, driver, consoleHeight, consoleWidth, healthcheck, logConfig, links,
                    groupAdd);
        }
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Image", image);
        m.put("Name", name);
        m.put("Entrypoint", entrypoint);
        m.put("Cmd", cmd);
        m.put("Env", env);
        m.put("WorkingDir", workingDir);
        m.put("User", user);
        m.put("Tty", tty);
        m.put("OpenStdin", openStdin);
        m.put("Hostname", hostname);
        m.put("Labels", labels);
        m.put("Mounts", mounts);
        m.put("Ports", ports);
        m.put("NetworkMode", networkMode);
        m.put("RestartPolicy", Map.of("Name", restartPolicy.name(), "MaximumRetryCount", (long) restartPolicy.maxRetries()));
        m.put("AutoRemove", autoRemove);
        m.put("Init", init);
        m.put("StopSignal", stopSignal);
        m.put("StopTimeout", stopTimeout == null ? null : (long) stopTimeout);
        m.put("Memory", resources.memoryBytes());
        m.put("NanoCpus", resources.nanoCpus());
        m.put("PidsLimit", resources.pidsLimit());
        m.put("CapAdd", security.capAdd());
        m.put("CapDrop", security.capDrop());
        m.put("Privileged", security.privileged());
        m.put("Seccomp", security.seccomp());
        m.put("Platform", platform);
        m.put("Driver", driver);
        if (consoleHeight > 0 || consoleWidth > 0) m.put("ConsoleSize", List.of((long) consoleHeight, (long) consoleWidth));
        if (healthcheck != null) m.put("Healthcheck", healthcheck);
        if (logConfig != null) m.put("LogConfig", logConfig.toJson());
        if (!links.isEmpty()) m.put("Links", links);
        if (!groupAdd.isEmpty()) m.put("GroupAdd", groupAdd);
        return m;
    }

    public static ContainerSpec fromJson(JsonObject o) {
        JsonObject rp = o.object("RestartPolicy");
        List<MountSpec> mounts = new ArrayList<>();
        for (JsonObject x : o.objects("Mounts")) mounts.add(MountSpec.fromJson(x));
        List<PortBinding> ports = new ArrayList<>();
        for (JsonObject x : o.objects("Ports")) ports.add(PortBinding.fromJson(x));
        Long timeout = o.has("StopTimeout") ? o.number("StopTimeout", 10) : null;
        return new ContainerSpec(o.string("Image"), o.string("Name"), o.strings("Entrypoint"), o.strings("Cmd"),
                o.strings("Env"), o.string("WorkingDir"), o.string("User"), o.bool("Tty"), o.bool("OpenStdin"),
                o.string("Hostname"), o.stringMap("Labels"), mounts, ports, o.string("NetworkMode"),
                new RestartPolicy(rp.string("Name", "no"), (int) rp.number("MaximumRetryCount", 0)), o.bool("AutoRemove"),
                o.bool("Init"), o.string("StopSignal"), timeout == null ? null : timeout.intValue(),
                new Resources(o.number("Memory", 0), o.number("NanoCpus", 0), o.number("PidsLimit", 0)),
                new SecurityOptions(orEmpty(o.strings("CapAdd")), orEmpty(o.strings("CapDrop")), o.bool("Privileged"),
                        !o.has("Seccomp") || o.bool("Seccomp")),
                o.string("Platform"), o.string("Driver"), consoleSize(o, 0), consoleSize(o, 1),
                o.has("Healthcheck") ? Healthcheck.fromJson(o.object("Healthcheck")) : null,
                o.has("LogConfig") ? new LogConfig(o.object("LogConfig").string("Type"), o.object("LogConfig").stringMap("Config")) : null,
                o.strings("Links"), o.strings("GroupAdd"));
    }

    private static int consoleSize(JsonObject o, int i) {
        List<Object> l = o.has("ConsoleSize") ? o.list("ConsoleSize") : List.of();
        return l.size() == 2 && l.get(i) instanceof Number n ? n.intValue() : 0;
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
