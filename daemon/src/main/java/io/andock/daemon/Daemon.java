package io.andock.daemon;

import io.andock.AndockException;
import io.andock.daemon.backend.ContainerAdminBackend;
import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.backend.EngineImageBackend;
import io.andock.daemon.backend.ImageBackend;
import io.andock.daemon.backend.EngineContainerBackend;
import io.andock.daemon.backend.Supervisor;
import io.andock.daemon.backend.UserNetworks;
import io.andock.daemon.handler.ArchiveHandler;
import io.andock.daemon.handler.BuildHandler;
import io.andock.daemon.handler.ContainerAdminHandler;
import io.andock.daemon.handler.ContainerHandler;
import io.andock.daemon.handler.DiskUsageHandler;
import io.andock.daemon.handler.ExecHandler;
import io.andock.daemon.handler.ImageHandler;
import io.andock.daemon.handler.NetworkHandler;
import io.andock.daemon.handler.PluginHandler;
import io.andock.daemon.handler.StatsHandler;
import io.andock.daemon.handler.SwarmHandler;
import io.andock.daemon.handler.SystemHandler;
import io.andock.daemon.handler.VolumeHandler;
import io.andock.daemon.http.ApiHandler;
import io.andock.daemon.http.Router;
import io.andock.engine.Engine;
import io.andock.engine.EngineConfig;
import io.andock.follow.FollowAgent;
import io.andock.follow.Follows;
import io.andock.host.HostReport;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The andock daemon: the Docker Engine API over a unix socket (and TCP), on the engine and container service of
 * one root. Start with {@link #start}; {@link #close} stops listening but leaves detached containers running
 * (their monitors own them; the next daemon adopts them).
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("andock.daemon");
    /** Held: java.util.logging keeps loggers weakly, and the level must outlive this line. */
    private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");

    static {
        JETTY.setLevel(java.util.logging.Level.WARNING); // its start-up banners are not the user's business
    }
    private final Engine engine;
    private final Server server;
    private final Supervisor supervisor;
    private final ExecutorService background;
    private final List<Listener.Bound> bound;
    private final IdleTrimmer trimmer;
    private final FollowAgent follower;

    private Daemon(Engine engine, Server server, Supervisor supervisor, ExecutorService background, List<Listener.Bound> bound,
                   IdleTrimmer trimmer, FollowAgent follower) {
        this.trimmer = trimmer;
        this.follower = follower;
        this.engine = engine;
        this.server = server;
        this.supervisor = supervisor;
        this.background = background;
        this.bound = bound;
    }

    /**
     * @param config    the engine's root and config dir
     * @param listeners where to listen ({@link Listener#parse}); at least one
     * @param driver    a forced execution driver, or null for the best this host allows
     */
    public static Daemon start(EngineConfig config, List<Listener> listeners, String driver) throws Exception {
        if (listeners.isEmpty()) throw AndockException.invalid("nothing to listen on");
        EngineConfig cfg = driver == null ? config : config.withDriver(driver);
        Engine engine = Engine.open(cfg);
        Path root = config.root();
        HostReport report = engine.hostReport(null, false);
        ExecutorService background = new ThreadPoolExecutor(0, 1024, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "andock-session");
            t.setDaemon(true);
            return t;
        });
        EngineContainerBackend containers = new EngineContainerBackend(engine, background);
        ImageBackend images = new EngineImageBackend(engine);
        Router router = routes(images, containers, new UserNetworks(engine.networks()), () -> report, root);
        new SystemHandler(images, containers, () -> report, root, "andock-" + Integer.toHexString(root.toString().hashCode()),
                config.logConfig().type()).register(router); // config.json's log-driver, in info
        ContainerAdminBackend admin = ContainerAdminBackend.of(engine);
        new ContainerAdminHandler(admin, containers).register(router);
        new DiskUsageHandler(images, containers, admin).register(router);
        QueuedThreadPool pool = new QueuedThreadPool(1024, 2, 10_000);
        pool.setName("andock-api");
        pool.setReservedThreads(0);
        pool.setMaxEvictCount(1024); // Jetty's default lets one idle thread go per timeout: hours after a burst
        Server server = new Server(pool);
        server.setErrorHandler(new io.andock.daemon.http.JsonErrorHandler());
        IdleTrimmer trimmer = new IdleTrimmer(5_000, engine::releaseIdle);
        server.setHandler(new ApiHandler(router, background, trimmer::touch));
        List<Listener.Bound> bound = new ArrayList<>();
        for (Listener l : listeners) bound.add(l.bind(server));
        server.start();
        for (Listener.Bound b : bound) b.started();
        Supervisor supervisor = new Supervisor(containers);
        supervisor.start();
        FollowAgent follower = startFollower(engine);
        LOG.info("andock daemon listening on " + bound.stream().map(Listener.Bound::address).toList()
                + ", root " + root + ", driver " + (report.choice() == null ? "none" : report.choice().driver().id()));
        return new Daemon(engine, server, supervisor, background, bound, trimmer, follower);
    }

    /** The root's follow agent ({@code andock follow}), unless a {@code follow --agent} runs it already. */
    private static FollowAgent startFollower(Engine engine) {
        String v = Daemon.class.getPackage().getImplementationVersion();
        try {
            return new Follows(engine).startAgent(v == null ? "0.1.0-dev" : v);
        } catch (AndockException e) {
            LOG.info("not following tags here: " + e.getMessage());
            return null;
        }
    }

    static Router routes(ImageBackend images, ContainerBackend containers, UserNetworks networks,
                         java.util.function.Supplier<HostReport> host, Path root) {
        Router r = new Router();
        new ImageHandler(images, containers).register(r);
        new BuildHandler(images, root.resolve("tmp")).register(r);
        new ExecHandler(containers).register(r);
        new ArchiveHandler(containers).register(r);
        new StatsHandler(containers).register(r);
        new ContainerHandler(containers, networks).register(r);
        new VolumeHandler(containers).register(r);
        new NetworkHandler(networks).register(r);
        new SwarmHandler().register(r);
        new PluginHandler().register(r);
        return r;
    }

    public List<String> addresses() {
        return bound.stream().map(Listener.Bound::address).toList();
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public void close() throws Exception {
        trimmer.close();
        if (follower != null) follower.close();
        supervisor.close();
        server.stop();
        for (Listener.Bound b : bound) b.closed();
        background.shutdownNow();
        engine.close();
    }

    public void join() throws InterruptedException {
        server.join();
    }
}
