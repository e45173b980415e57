package io.andock.hub;

import io.andock.AndockException;
import io.andock.hub.auth.Access;
import io.andock.hub.auth.Htpasswd;
import io.andock.hub.auth.Tokens;
import io.andock.hub.fleet.Fleet;
import io.andock.hub.fleet.FleetHandler;
import io.andock.hub.storage.HubStorage;
import io.andock.hub.storage.LocalStorage;
import io.andock.hub.storage.S3Client;
import io.andock.hub.storage.S3Signer;
import io.andock.hub.storage.S3Storage;
import io.andock.hub.sync.SyncService;
import io.andock.tls.PemKeys;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * andock hub: the registry on one address. {@link #start} binds and serves; {@link #close} stops. Bounds: a
 * connection idle (or a body stalled) for {@code read-timeout-seconds} is closed, at most {@code max-connections}
 * are accepted at once (more wait in the kernel's backlog), at most {@code max-threads} requests run at once (idle
 * connections hold no thread), an upload untouched for {@code upload-idle-seconds} is dropped.
 */
public final class Hub implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("andock.hub");
    /** Held: java.util.logging keeps loggers weakly. */
    private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");

    static {
        JETTY.setLevel(Level.WARNING);
    }

    private final Server server;
    private final ServerConnector connector;
    private final HubStorage storage;
    private final ScheduledExecutorService timer;
    private final HubConfig config;
    private final Registry registry;

    private final Mirror mirror;
    private final Fleet fleet;
    private final SyncService sync;

    private Hub(Server server, ServerConnector connector, HubStorage storage, ScheduledExecutorService timer, HubConfig config, Registry registry,
                Mirror mirror, Fleet fleet, SyncService sync) {
        this.mirror = mirror;
        this.fleet = fleet;
        this.sync = sync;
        this.server = server;
        this.connector = connector;
        this.storage = storage;
        this.timer = timer;
        this.config = config;
        this.registry = registry;
    }

    private static final String JETTY_REFS_PER_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    public static Hub start(HubConfig config) throws Exception {
        config.check();
        // Jetty asks the platform MBean server whether oops are compressed, to pad its counters: that loads JMX
        // (~250 classes, ~1.5 MB of the idle hub's memory) for one number. Compressed below a 32 GB heap: 64 / 4.
        if (System.getProperty(JETTY_REFS_PER_LINE) == null) System.setProperty(JETTY_REFS_PER_LINE, "16");
        HubStorage storage = openStorage(config);
        HubConfig.Limits lim = config.limits();
        Duration idle = Duration.ofSeconds(lim.uploadIdleSeconds());
        // alone on a local root, what a killed hub left half-written is dropped now; on a shared bucket, other
        // replicas' uploads are kept until idle
        storage.cleanStaged(config.s3() == null ? Duration.ZERO : idle);
        Access access = Access.open();
        if (config.auth() != null) {
            Htpasswd users = config.auth().htpasswd() == null ? Htpasswd.of(java.util.Map.of()) : Htpasswd.load(config.auth().htpasswd());
            access = new Access(config.auth(), users, Tokens.open(config.root()));
        }
        Registry registry = new Registry(storage, config.limits(), config.sparseManifests());
        QueuedThreadPool pool = new QueuedThreadPool(lim.maxThreads(), 4, 30_000);
        pool.setName("andock-hub");
        pool.setReservedThreads(0);
        Server server = new Server(pool);
        HttpConfiguration hc = new HttpConfiguration();
        hc.setSendServerVersion(false);
        hc.setSendDateHeader(true);
        hc.setRequestHeaderSize(64 * 1024);
        hc.setIdleTimeout(lim.readTimeoutSeconds() * 1000L);
        ServerConnector c;
        if (config.tls() != null) {
            hc.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            try {
                ssl.setKeyStore(PemKeys.keyStore(config.tls().cert(), config.tls().key()));
            } catch (Exception e) {
                throw AndockException.invalid("tls: cannot read " + config.tls().cert() + " / " + config.tls().key() + ": " + e.getMessage());
            }
            ssl.setKeyStorePassword(PemKeys.PASSWORD);
            c = new ServerConnector(server, 1, -1, new ConnectionFactory[]{new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(hc)});
        } else {
            c = new ServerConnector(server, 1, -1, new HttpConnectionFactory(hc));
        }
        c.setHost(config.host());
        c.setPort(config.port());
        c.setIdleTimeout(lim.readTimeoutSeconds() * 1000L);
        c.setAcceptQueueSize(1024);
        server.addConnector(c);
        server.addBean(new NetworkConnectionLimit(lim.maxConnections(), c));
        server.setErrorHandler(new OciErrorHandler());
        SyncService sync = new SyncService(storage);
        Mirror mirror = config.mirroring().upstreams().isEmpty() ? null
                : new Mirror(registry, config.mirroring(), config.root(), Duration.ofSeconds(lim.readTimeoutSeconds()), sync.indexQueue());
        Metrics metrics = new Metrics();
        Fleet fleet = new Fleet(storage, followedTags(registry, mirror));
        registry.onTagWritten(fleet::tagMoved);
        server.setHandler(new FleetHandler(fleet, access, Duration.ofSeconds(Math.max(1, lim.readTimeoutSeconds() - 5)),
                new RegistryHandler(registry, access, config, metrics, mirror, sync)));
        server.start();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "andock-hub-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                int n = registry.expireUploads(idle);
                if (n > 0) LOG.info("dropped " + n + " upload(s) idle for " + idle.toSeconds() + " s");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "expiring uploads: " + e, e);
            }
        }, 10, 10, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(new IdleMemory(metrics::requests), 5, 5, TimeUnit.SECONDS);
        long sweep = Math.max(60, Math.min(idle.toSeconds(), 600));
        timer.scheduleWithFixedDelay(() -> {
            try {
                int n = registry.sweepUploads(idle);
                if (n > 0) LOG.info("dropped " + n + " abandoned upload(s)");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "sweeping uploads: " + e, e);
            }
        }, config.s3() == null ? 0 : sweep, sweep, TimeUnit.SECONDS);
        if (config.gcIntervalSeconds() > 0) {
            Duration grace = Duration.ofSeconds(config.gcGraceSeconds());
            timer.scheduleWithFixedDelay(() -> {
                try {
                    LOG.info("gc: " + HubGc.run(registry, grace));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "gc: " + e, e);
                }
            }, config.gcIntervalSeconds(), config.gcIntervalSeconds(), TimeUnit.SECONDS);
        }
        Hub hub = new Hub(server, c, storage, timer, config, registry, mirror, fleet, sync);
        LOG.info("andock hub listening on " + hub.address() + ", root " + config.root());
        return hub;
    }

    /** A followed tag's digest: a mirrored repository's through the mirror (revalidated once older than its ttl). */
    private static Fleet.TagReader followedTags(Registry registry, Mirror mirror) {
        return (name, tag) -> {
            if (mirror != null && mirror.mirrored(name)) {
                java.util.Optional<Mirror.Target> t = mirror.target(name, null, false);
                if (t.isPresent()) return java.util.Optional.of(mirror.manifest(t.get(), tag).manifest().digest());
            }
            return registry.manifest(name, tag).map(Registry.StoredManifest::digest);
        };
    }

    /** The store the configuration names: an S3 bucket, or the embedded one under the root. */
    public static HubStorage openStorage(HubConfig config) {
        HubConfig.S3 s3 = config.s3();
        if (s3 == null) return LocalStorage.open(config.root());
        S3Client client = new S3Client(s3.endpoint(), s3.bucket(), new S3Signer(s3.accessKey(), s3.secretKey(), s3.region()),
                Duration.ofSeconds(config.limits().readTimeoutSeconds()));
        try {
            return S3Storage.open(client, s3.prefix(), config.root().resolve("s3-spool"));
        } catch (io.andock.AndockException e) {
            throw e.withContext("storage " + s3);
        }
    }

    /** {@code http(s)://host:port}, with the port actually bound. */
    public String address() {
        String h = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return (config.tls() != null ? "https" : "http") + "://" + h + ":" + port();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public Registry registry() {
        return registry;
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        fleet.close();
        server.stop();
        if (mirror != null) mirror.close();
        sync.close();
        storage.close();
    }

    public void join() throws InterruptedException {
        server.join();
    }
}
