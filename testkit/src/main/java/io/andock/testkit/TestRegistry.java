package io.andock.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A real registry (Debian's {@code docker-registry}, CNCF distribution 2.8) on a free loopback port,
 * with its own temporary data directory, optionally behind htpasswd Basic auth or Bearer token auth
 * ({@link TokenServer}), filled with the fixture images by skopeo.
 *
 * <pre>{@code
 * TestRegistry reg = TestRegistry.shared();                 // everything pushed, shared per JVM
 * try (TestRegistry r = TestRegistry.builder().basicAuth("u", "p").start()) { r.push("busybox:latest"); }
 * }</pre>
 */
public final class TestRegistry implements AutoCloseable {
    private static final String BIN = "docker-registry";
    private static TestRegistry shared;

    private final Path dataDir;
    private final int port;
    private final String user, password;
    private final TokenServer tokenServer;
    private final boolean deleteOnStop;
    private Process process;

    private TestRegistry(Builder b, int port) {
        this.dataDir = b.dataDir;
        this.port = port;
        this.user = b.user;
        this.password = b.password;
        this.tokenServer = b.tokenServer;
        this.deleteOnStop = b.deleteOnStop;
    }

    public static Builder builder() { return new Builder(); }

    /** A registry without auth and without images. */
    public static TestRegistry start() { return builder().start(); }

    /** The per-JVM registry (no auth) with every fixture image pushed; stopped by a shutdown hook. */
    public static synchronized TestRegistry shared() {
        if (shared == null) {
            TestRegistry r = start();
            Runtime.getRuntime().addShutdownHook(new Thread(r::stop, "andock-testkit-registry-stop"));
            try {
                r.pushAll();
            } catch (RuntimeException e) {
                r.stop();
                throw e;
            }
            shared = r;
        }
        return shared;
    }

    public static final class Builder {
        private Path dataDir;
        private String user, password;
        private TokenServer tokenServer;
        private boolean deleteOnStop = true;

        /** htpasswd (bcrypt) Basic auth with one user. */
        public Builder basicAuth(String user, String password) { this.user = user; this.password = password; return this; }

        /** Bearer token auth: realm, service, issuer and root certificate of {@code server}; pushes use its admin user. */
        public Builder tokenAuth(TokenServer server) { this.tokenServer = server; return this; }

        /** Keep the data here (default: a new temp dir, deleted on stop). */
        public Builder dataDir(Path dir) { this.dataDir = dir; this.deleteOnStop = false; return this; }

        public TestRegistry start() {
            try {
                if (dataDir == null) dataDir = Files.createTempDirectory("andock-registry-");
                IllegalStateException last = null;
                for (int attempt = 0; attempt < 3; attempt++) {   // a free port may be taken before the registry binds it
                    TestRegistry r = new TestRegistry(this, freePort());
                    try {
                        r.launch();
                        return r;
                    } catch (IllegalStateException e) {
                        last = e;
                    }
                }
                throw last;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** "127.0.0.1:PORT", the registry's name in image references. */
    public String host() { return "127.0.0.1:" + port; }

    public int port() { return port; }

    public URI url() { return URI.create("http://" + host()); }

    /** "127.0.0.1:PORT/" + repoTag, e.g. {@code ref("busybox:latest")}. */
    public String ref(String repoTag) { return host() + "/" + repoTag; }

    public Path dataDir() { return dataDir; }

    /** The registry's log (access log included). */
    public String log() { return Fixtures.read(dataDir.resolve("registry.log")); }

    /** "user:password" a client needs here (Basic, or a token server user), or null without auth. */
    public String credentials() {
        if (user != null) return user + ":" + password;
        if (tokenServer != null) return TokenServer.ADMIN_USER + ":" + TokenServer.ADMIN_PASSWORD;
        return null;
    }

    /** Where the registry stores a blob; overwrite it to make the registry serve wrong bytes. */
    public Path blobFile(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return dataDir.resolve("storage/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    /** Overwrites 16 bytes in the middle of a stored blob with "ANDOCK-CORRUPTED" (same length). */
    public void corruptBlob(String digest) {
        try (RandomAccessFile f = new RandomAccessFile(blobFile(digest).toFile(), "rw")) {
            f.seek(f.length() / 2);
            f.write("ANDOCK-CORRUPTED".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pushes every fixture image (~26 tags, a few seconds), then corrupts evil:corrupt-blob in storage. */
    public void pushAll() { push(Fixtures.imageList()); }

    /** Pushes the named fixture images, e.g. {@code push("busybox:latest", "layers:zstd")}. */
    public void push(String... repoTags) { push(Fixtures.imageList(repoTags)); }

    public void push(List<Fixtures.Image> images) {
        Path root = Fixtures.images();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // One repository's images one after the other, repositories in parallel: parallel pushes into one
            // repository race inside distribution ("manifest blob unknown", and once a tag that served another
            // manifest than the one pushed).
            Map<String, List<Fixtures.Image>> byRepo = new java.util.LinkedHashMap<>();
            for (Fixtures.Image img : images) {
                byRepo.computeIfAbsent(img.repoTag().substring(0, img.repoTag().lastIndexOf(':')), k -> new ArrayList<>()).add(img);
            }
            List<Future<?>> jobs = new ArrayList<>();
            for (List<Fixtures.Image> repo : byRepo.values()) {
                jobs.add(pool.submit(() -> {
                    for (Fixtures.Image img : repo) pushOne(root, img);
                    return null;
                }));
            }
            for (Future<?> f : jobs) f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private void pushOne(Path root, Fixtures.Image img) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false"));
        if (credentials() != null) cmd.addAll(List.of("--dest-creds", credentials()));
        cmd.addAll(img.skopeoOptions());
        cmd.add("oci:" + root.resolve(img.layout()) + ":" + img.tag());
        cmd.add("docker://" + ref(img.repoTag()));
        Cmd.Result first = Cmd.exec(cmd);
        if (!first.ok()) Cmd.run(cmd); // a transient registry error: skopeo's second attempt finds the blobs in place
        if (img.corruptAfterPush()) {
            List<Object> layers = Json.at(Fixtures.manifest(img.layout(), img.tag()), "layers");
            corruptBlob(Json.at(layers.get(layers.size() - 1), "digest"));
        }
    }

    private void launch() {
        try {
            Files.createDirectories(dataDir.resolve("storage"));
            String auth = "";
            if (user != null) {
                Files.writeString(dataDir.resolve("htpasswd"), user + ":" + bcrypt(password) + "\n");
                auth = "auth:\n  htpasswd:\n    realm: andock-testkit\n    path: " + dataDir.resolve("htpasswd") + "\n";
            } else if (tokenServer != null) {
                auth = "auth:\n  token:\n    realm: " + tokenServer.realm() + "\n    service: " + tokenServer.service()
                        + "\n    issuer: " + tokenServer.issuer() + "\n    rootcertbundle: " + tokenServer.rootCertBundle() + "\n";
            }
            Path config = dataDir.resolve("config.yml");
            Files.writeString(config, "version: 0.1\nlog:\n  level: info\n  formatter: text\n"
                    + "storage:\n  filesystem:\n    rootdirectory: " + dataDir.resolve("storage") + "\n"
                    + "  delete:\n    enabled: true\n  maintenance:\n    uploadpurging:\n      enabled: false\n"
                    + "http:\n  addr: 127.0.0.1:" + port + "\n  secret: andock-testkit\n  headers:\n    X-Content-Type-Options: [nosniff]\n"
                    + auth);
            Path log = dataDir.resolve("registry.log");
            ProcessBuilder pb = new ProcessBuilder(BIN, "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_"));   // distribution reads them as config
            process = pb.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                int code = status("/v2/");
                if (code == 200 || code == 401) return;
                if (!process.isAlive()) break;
                Thread.sleep(50);
            }
            stop();
            throw new IllegalStateException("docker-registry did not start on " + host() + ":\n" + Fixtures.read(log));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BIN + " (apt-get install docker-registry)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** HTTP status of an anonymous GET (or -1 when nothing answers). */
    public int status(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) url().resolve(path).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            int code = c.getResponseCode();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 5 s) and deletes a temp data dir. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (deleteOnStop && Files.isDirectory(dataDir)) Cmd.exec("rm", "-rf", dataDir.toString());
    }

    @Override
    public void close() {
        if (this != shared) stop();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bcrypt hash for htpasswd: {@code htpasswd -nbB} when installed, else python3's crypt (libxcrypt, Debian 12). */
    static String bcrypt(String password) {
        if (Files.isExecutable(Path.of("/usr/bin/htpasswd"))) {
            String line = Cmd.run("htpasswd", "-nbB", "x", password).lines().findFirst().orElseThrow();
            return line.substring(line.indexOf(':') + 1);
        }
        return Cmd.run(Fixtures.python(), "-W", "ignore", "-c",
                "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 10)))", password).trim();
    }
}
