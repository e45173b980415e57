package io.andock.daemon.handler;

import io.andock.AndockException;
import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.backend.ImageBackend;
import io.andock.daemon.http.ApiException;
import io.andock.daemon.http.ApiVersions;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Router;
import io.andock.host.HostReport;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.container.ContainerView;
import io.andock.container.ListOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /_ping}, {@code /version}, {@code /info}, {@code /events}, {@code /auth}, {@code /system/df}; {@code /session}
 * and {@code /grpc} (BuildKit) are 404. {@code /build} is {@link BuildHandler}'s.
 */
public final class SystemHandler {
    private final ImageBackend images;
    private final ContainerBackend containers;
    private final Supplier<HostReport> host;
    private final Path root;
    private final String id;
    private final String loggingDriver;

    public SystemHandler(ImageBackend images, ContainerBackend containers, Supplier<HostReport> host, Path root, String id) {
        this(images, containers, host, root, id, "json-file");
    }

    /** @param loggingDriver the logging driver of containers created without one (info's {@code LoggingDriver}) */
    public SystemHandler(ImageBackend images, ContainerBackend containers, Supplier<HostReport> host, Path root, String id,
                         String loggingDriver) {
        this.loggingDriver = loggingDriver;
        this.images = images;
        this.containers = containers;
        this.host = host;
        this.root = root;
        this.id = id;
    }

    public void register(Router r) {
        r.get("/_ping", this::ping).head("/_ping", this::ping)
                .get("/version", this::version)
                .get("/info", this::info)
                .get("/events", this::events)
                .post("/auth", this::auth)
                .post("/session", x -> {
                    throw new ApiException(404, "page not found");
                })
                .post("/grpc", x -> {
                    throw new ApiException(404, "page not found");
                });
    }

    void ping(Exchange x) {
        x.responseHeader("Builder-Version", "1");
        x.responseHeader("Swarm", "inactive");
        x.responseHeader("Cache-Control", "no-cache, no-store, must-revalidate");
        x.responseHeader("Pragma", "no-cache");
        x.text(200, "text/plain; charset=utf-8", x.method().equals("HEAD") ? "" : "OK");
    }

    void version(Exchange x) {
        HostReport h = host.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Platform", Map.of("Name", "andock"));
        m.put("Components", List.of(Map.of("Name", "Engine", "Version", ApiVersions.ENGINE_VERSION,
                "Details", Map.of("ApiVersion", ApiVersions.CURRENT, "MinAPIVersion", ApiVersions.MINIMUM,
                        "Os", "linux", "Arch", goArch(h.host().architecture()), "KernelVersion", h.host().kernel().release(),
                        "GitCommit", "andock", "GoVersion", "n/a (Java " + Runtime.version().feature() + ")",
                        "Driver", driver(h)))));
        m.put("Version", ApiVersions.ENGINE_VERSION);
        m.put("ApiVersion", ApiVersions.CURRENT);
        m.put("MinAPIVersion", ApiVersions.MINIMUM);
        m.put("GitCommit", "andock");
        m.put("GoVersion", "n/a (Java " + Runtime.version().feature() + ")");
        m.put("Os", "linux");
        m.put("Arch", goArch(h.host().architecture()));
        m.put("KernelVersion", h.host().kernel().release());
        m.put("BuildTime", "");
        x.json(200, m);
    }

    private static String driver(HostReport h) {
        return h.choice() == null ? "none" : h.choice().driver().id();
    }

    static String goArch(String machine) {
        return switch (machine) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "armv7l", "armv8l", "arm" -> "arm";
            case "i686", "i386" -> "386";
            default -> machine;
        };
    }

    void info(Exchange x) {
        HostReport h = host.get();
        List<ContainerView> all = containers.list(ListOptions.ALL);
        long running = all.stream().filter(v -> v.state().status().equals("running")).count();
        long paused = all.stream().filter(v -> v.state().status().equals("paused")).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", id);
        m.put("Containers", all.size());
        m.put("ContainersRunning", running);
        m.put("ContainersPaused", paused);
        m.put("ContainersStopped", all.size() - running - paused);
        m.put("Images", images.list().stream().map(s -> s.id()).distinct().count());
        m.put("Driver", "andock-snapshots");
        m.put("DriverStatus", List.of(List.of("Execution driver", driver(h))));
        m.put("Plugins", Map.of("Volume", List.of("local"), "Network", List.of("host", "null"), "Log", List.of("json-file", "local", "none")));
        m.put("MemoryLimit", h.choice() != null && h.choice().driver().id().equals("oci"));
        m.put("SwapLimit", false);
        m.put("CpuCfsPeriod", false);
        m.put("CpuCfsQuota", false);
        m.put("IPv4Forwarding", false);
        m.put("Debug", false);
        m.put("NFd", 0);
        m.put("NGoroutines", Thread.activeCount());
        m.put("SystemTime", Instant.now().toString());
        m.put("LoggingDriver", loggingDriver);
        m.put("CgroupDriver", h.host().cgroupDriver());
        m.put("CgroupVersion", h.host().cgroups().versionName());
        m.put("KernelVersion", h.host().kernel().release());
        m.put("OperatingSystem", h.host().operatingSystem());
        m.put("OSVersion", "");
        m.put("OSType", "linux");
        m.put("Architecture", h.host().architecture());
        m.put("NCPU", Runtime.getRuntime().availableProcessors());
        m.put("MemTotal", memTotal());
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        m.put("RegistryConfig", Map.of("IndexConfigs", Map.of(), "InsecureRegistryCIDRs", List.of("127.0.0.0/8")));
        m.put("DockerRootDir", root.toString());
        m.put("Name", hostname());
        m.put("Labels", List.of());
        m.put("ExperimentalBuild", false);
        m.put("ServerVersion", ApiVersions.ENGINE_VERSION);
        m.put("Runtimes", Map.of(driver(h), Map.of("path", h.choice() == null || h.choice().program() == null ? driver(h) : h.choice().program())));
        m.put("DefaultRuntime", driver(h));
        m.put("Swarm", Map.of("LocalNodeState", "inactive", "NodeID", "", "NodeAddr", "", "ControlAvailable", false, "Error", "", "RemoteManagers", List.of()));
        m.put("LiveRestoreEnabled", true);
        m.put("Isolation", "");
        m.put("InitBinary", "");
        m.put("SecurityOptions", h.host().securityOptions().stream().map(s -> "name=" + s).toList());
        m.put("Warnings", h.driverError() == null ? null : List.of("WARNING: no execution driver: " + h.driverError()));
        x.json(200, m);
    }

    private static long memTotal() {
        try {
            for (String l : java.nio.file.Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException ignored) {
            // unknown
        }
        return 0;
    }

    static String hostname() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    void auth(Exchange x) {
        JsonObject o = x.json();
        String server = o.string("serveraddress", "");
        String user = o.string("username", "");
        String password = o.string("password", "");
        if (server.isEmpty()) server = "docker.io";
        server = server.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        if (server.equals("index.docker.io")) server = "docker.io";
        try {
            images.login(server, user, password);
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.UNAUTHORIZED) throw e;
            throw e;
        }
        x.json(200, Map.of("Status", "Login Succeeded", "IdentityToken", ""));
    }

    /** {@code /events}: since/until (unix seconds, optionally fractional), filters type, container, image, event, label. */
    void events(Exchange x) throws IOException {
        long since = seconds(x.query().get("since"), -1);
        long until = seconds(x.query().get("until"), Long.MAX_VALUE);
        Map<String, List<String>> filters = x.query().filters();
        BlockingQueue<Map<String, Object>> q = new ArrayBlockingQueue<>(4096);
        var out = x.stream("application/json");
        try (AutoCloseable sub = containers.events().subscribe(since, e -> {
            if (matches(e, filters)) q.offer(e);
        })) {
            while (!x.clientGone()) {
                Map<String, Object> e = q.poll(1, TimeUnit.SECONDS);
                long now = System.currentTimeMillis() * 1_000_000L;
                if (e == null) {
                    if (now > until) break;
                    out.flush();
                    continue;
                }
                if ((long) e.get("timeNano") > until) break;
                out.write((Json.write(e) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (e instanceof IOException io) throw io;
        }
        out.close();
    }

    private static long seconds(String s, long dflt) {
        if (s == null || s.isEmpty()) return dflt;
        try {
            return (long) (Double.parseDouble(s) * 1_000_000_000L);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(s).toEpochMilli() * 1_000_000L;
            } catch (RuntimeException r) {
                throw ApiException.badRequest("invalid timestamp: " + s);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Map<String, Object> e, Map<String, List<String>> filters) {
        Map<String, Object> actor = (Map<String, Object>) e.get("Actor");
        Map<String, String> attrs = (Map<String, String>) actor.get("Attributes");
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            if (f.getValue().isEmpty()) continue;
            boolean any = false;
            for (String v : f.getValue()) {
                any |= switch (f.getKey()) {
                    case "type" -> v.equals(e.get("Type"));
                    case "event" -> String.valueOf(e.get("Action")).startsWith(v);
                    case "container" -> "container".equals(e.get("Type"))
                            && (String.valueOf(actor.get("ID")).startsWith(v) || v.equals(attrs.get("name")));
                    case "image" -> v.equals(attrs.get("image")) || v.equals(actor.get("ID"));
                    case "label" -> {
                        int eq = v.indexOf('=');
                        yield eq < 0 ? attrs.containsKey(v) : v.substring(eq + 1).equals(attrs.get(v.substring(0, eq)));
                    }
                    default -> true;
                };
            }
            if (!any) return false;
        }
        return true;
    }
}
