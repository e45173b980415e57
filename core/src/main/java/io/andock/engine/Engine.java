package io.andock.engine;

import io.andock.container.ContainerStore;
import io.andock.content.ContentStore;
import io.andock.host.HostReport;
import io.andock.image.store.ImageStore;
import io.andock.registry.CredentialStore;
import io.andock.registry.RegistryClient;
import io.andock.snapshot.ApplyOptions;
import io.andock.snapshot.FlatSnapshotter;
import io.andock.snapshot.Snapshotter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What both front ends (CLI, API daemon) open: one store root, wired into façades — {@link #images()},
 * {@link #containers()}, {@link #networks()}, {@link #transfers()}, {@link #containerSnapshots()} — and the host
 * report. No front end holds engine logic or reaches
 * past the façades; every failure is an {@link io.andock.AndockException} with a kind and a one-line message.
 *
 * <p>Root layout: {@code content/} (blobs, ingests), {@code snapshots/} (unpacked chains), {@code images.json}
 * (image records), {@code containers/}, {@code volumes/}, {@code tmp/} (spooled archives). Safe for several
 * threads and several processes on one root.
 */
public final class Engine implements AutoCloseable {
    private final EngineConfig config;
    private final RuntimeSetup runtime;
    private final Images images;
    private final Transfers transfers;
    private final ContainerStore containerStore;
    private RegistryClient registry;
    private Containers containers;
    private Networks networks;

    private Engine(EngineConfig config) {
        this.config = config;
        StoreRoot.secure(config.root());
        ContentStore content = ContentStore.open(config.contentDir());
        ImageStore imageStore = new ImageStore(config.imagesFile());
        Snapshotter snapshotter = new FlatSnapshotter(config.snapshotsDir());
        this.containerStore = new ContainerStore(config.root());
        Gc gc = new Gc(content, imageStore, snapshotter, containerStore::imageUses);
        UnpackingCopy unpackingCopy = new UnpackingCopy(content, snapshotter, layerOptions(), gc);
        this.runtime = new RuntimeSetup(this, config);
        this.images = new Images(config, content, imageStore, snapshotter, unpackingCopy, gc, containerStore,
                this::registry, runtime::drivers);
        this.transfers = new Transfers(images, content, unpackingCopy, config, this::registry);
    }

    /** Opens the engine on {@code config}'s root, first removing what killed andock processes left half-made. */
    public static Engine open(EngineConfig config) {
        Engine e = new Engine(config);
        io.andock.Trace.phase("engine open");
        Leftovers.sweep(config, e.runtime::drivers);
        io.andock.Trace.phase("leftovers swept");
        return e;
    }

    public EngineConfig config() {
        return config;
    }

    public Images images() {
        return images;
    }

    public Transfers transfers() {
        return transfers;
    }

    /** The containers, with the driver the host probe (or the config's {@code driver}) chose as default. */
    public synchronized Containers containers() {
        if (containers == null) {
            containers = new Containers(runtime.containers(), layerOptions());
            io.andock.Trace.phase("containers, drivers");
        }
        return containers;
    }

    /** {@code docker diff}, {@code export} and {@code commit}: containers' filesystems; see {@link ContainerSnapshots}. */
    public ContainerSnapshots containerSnapshots() {
        return new ContainerSnapshots(this, containerStore, images.buildBackend());
    }

    /** The user-defined networks (made on first use: it looks for the CNI plugins and iptables). */
    public synchronized Networks networks() {
        if (networks == null) networks = new Networks(new io.andock.net.Networking(config.root()));
        return networks;
    }

    private ApplyOptions layerOptions() {
        return ApplyOptions.defaults().withMaxBytes(config.maxLayerBytes());
    }

    /** The registry client, made on first use: its HTTP client loads TLS, which commands without a registry skip. */
    private synchronized RegistryClient registry() {
        if (registry == null) registry = new RegistryClient(config.registry(), CredentialStore.standard(config.configDir()));
        return registry;
    }

    /**
     * Lets go of what a long-lived process (the API daemon) need not keep while idle: the registry client (its
     * HTTP client, threads and buffers; tokens are fetched again). Operations under way keep their own reference.
     */
    public synchronized void releaseIdle() {
        registry = null;
    }

    /** What this host allows and the driver chosen, for {@code andock info}; {@code forcedDriver} as --driver. */
    public HostReport hostReport(String forcedDriver, boolean full) {
        return (forcedDriver == null ? runtime : new RuntimeSetup(this, config.withDriver(forcedDriver))).report(full);
    }

    /**
     * {@code andock info}'s proot self-test: proot run for real (some phones' kernels break ptrace; apps may not make
     * hard links), in a scratch directory under the root's {@code tmp}.
     */
    public io.andock.driver.ProotCheck prootCheck() {
        try {
            java.nio.file.Files.createDirectories(config.tmpDir());
        } catch (java.io.IOException e) {
            throw io.andock.AndockException.wrap("proot check", e);
        }
        return io.andock.driver.ProotCheck.run(config.tmpDir());
    }

    /** Counts for {@code andock info}: images, containers (running, stopped), root. */
    public Map<String, Object> storeSummary() {
        Map<String, Object> m = new LinkedHashMap<>();
        var all = containers().list(io.andock.container.ListOptions.ALL);
        long running = all.stream().filter(c -> c.state().running()).count();
        m.put("Containers", all.size());
        m.put("ContainersRunning", running);
        m.put("ContainersStopped", all.size() - running);
        m.put("Images", images.count());
        m.put("AndockRootDir", config.root().toString());
        return m;
    }

    /** The snapshotter, for tests of this package. */
    Snapshotter snapshotter() {
        return images.snapshotter();
    }

    @Override
    public synchronized void close() {
        // its selector thread would hold the JVM's exit ~300 ms (pull, push, login)
        if (registry != null) registry.close();
        registry = null;
    }
}
