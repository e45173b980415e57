package io.andock.daemon;

import io.andock.engine.EngineConfig;
import io.andock.registry.RegistryOptions;
import io.andock.testkit.TestRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A daemon on a temporary socket with a temporary root, the shared test registry, and the real docker CLI
 * ({@code /usr/local/bin/docker}, 28.2.2) pointed at it with its own DOCKER_CONFIG.
 */
public final class DaemonFixture implements AutoCloseable {
    public static final String DOCKER = "/usr/local/bin/docker";
    public final Path dir;
    public final Path root;
    public final Path socket;
    public final Path dockerConfig;
    public final TestRegistry registry;
    public final Daemon daemon;

    public DaemonFixture() throws Exception {
        this((Path) null);
    }

    /** @param socketPath a fixed socket (for clients configured by environment), or null for one in the temp dir */
    public DaemonFixture(Path socketPath) throws Exception {
        this(socketPath, List.of());
    }

    /** @param extra more listeners (TCP, TLS) besides the unix socket, which stays for {@link #docker} and cleanup */
    public DaemonFixture(Path socketPath, List<Listener> extra) throws Exception {
        this(socketPath, extra, null, RegistryOptions.defaults());
    }

    /** A daemon whose containers run under {@code driver} (oci, chroot, proot; null: the host's choice). */
    public static DaemonFixture withDriver(String driver) throws Exception {
        return new DaemonFixture(null, List.of(), driver, RegistryOptions.defaults());
    }

    /** A daemon on its own socket whose engine talks to registries with {@code registryOptions} (short timeouts). */
    public DaemonFixture(RegistryOptions registryOptions) throws Exception {
        this(null, List.of(), null, registryOptions);
    }

    /**
     * @param driver a forced driver ({@code oci}, {@code chroot}, {@code proot}), or null for the host's best
     * @param registryOptions how the engine talks to registries (tests shorten the timeouts)
     */
    public DaemonFixture(Path socketPath, List<Listener> extra, String driver, RegistryOptions registryOptions)
            throws Exception {
        this.registry = TestRegistry.shared();
        this.dir = Files.createTempDirectory("andock-api-");
        this.root = dir.resolve("root");
        this.socket = socketPath != null ? socketPath : dir.resolve("andock.sock");
        this.dockerConfig = dir.resolve("docker-config");
        Files.createDirectories(dockerConfig);
        EngineConfig config = new EngineConfig(root, dir.resolve("config"), registryOptions,
                EngineConfig.DEFAULT_MAX_LAYER_BYTES);
        List<Listener> listeners = new ArrayList<>();
        listeners.add(Listener.parse("unix://" + socket, null));
        listeners.addAll(extra);
        this.daemon = Daemon.start(config, listeners, driver);
    }

    public String host() {
        return "unix://" + socket;
    }

    public String image(String repoTag) {
        return registry.ref(repoTag);
    }

    /** A docker CLI process result. */
    public record Result(int code, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public ProcessBuilder docker(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(DOCKER);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("DOCKER_HOST", host());
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        env.remove("DOCKER_API_VERSION");
        env.remove("DOCKER_CONTEXT");
        return pb;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    public Result runWithInput(byte[] stdin, String... args) throws IOException, InterruptedException {
        return collect(docker(args), stdin, 120);
    }

    /**
     * Starts {@code pb}, writes {@code stdin} (or nothing) and closes it, and collects stdout and stderr until it
     * exits; fails after {@code seconds} with what it printed so far.
     */
    static Result collect(ProcessBuilder pb, byte[] stdin, int seconds) throws IOException, InterruptedException {
        Process p = pb.start();
        if (stdin != null) p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        Thread t1 = pump(p.getInputStream(), out), t2 = pump(p.getErrorStream(), err);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", pb.command()) + " timed out; out=" + out + " err=" + err);
        }
        t1.join();
        t2.join();
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Thread pump(java.io.InputStream in, java.io.OutputStream out) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // closed
            }
        });
        t.start();
        return t;
    }

    @Override
    public void close() throws Exception {
        for (String id : runQuiet("ps", "-aq")) {
            runQuiet("rm", "-f", id);
        }
        daemon.close(); // the shared bridge stays, as docker0 does; the containers' leases went with them
    }

    private List<String> runQuiet(String... args) {
        try {
            Result r = run(args);
            return r.out().lines().filter(l -> !l.isBlank()).toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
