package io.andock.hub.storage;

import io.andock.AndockException;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real S3 server for the tests: SeaweedFS ({@code weed server -s3}, built by .ci/go-tools) on free loopback ports,
 * with one identity whose key and secret the tests sign with, started once per test JVM and stopped when it exits.
 * Each caller gets a bucket of its own. Tests that need it are skipped when the binary is not built.
 */
public final class SeaweedFs {
    public static final String VERSION = "v0.0.0-20261109003541-7506e5f91cd6";
    public static final String ACCESS_KEY = "andockhubtest";
    public static final String SECRET_KEY = "andock-hub-test-secret-key";
    /** One bucket for every test (SeaweedFS gives each bucket volumes of its own): tests keep apart by prefix. */
    public static final String BUCKET = "andock-hub-test";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static SeaweedFs shared;
    private final Process process;
    private final Path dir;
    public final URI endpoint;

    private SeaweedFs(Process process, Path dir, URI endpoint) {
        this.process = process;
        this.dir = dir;
        this.endpoint = endpoint;
    }

    public static Path binary() {
        String tools = System.getenv().getOrDefault("ANDOCK_TOOLS", System.getProperty("user.home") + "/.cache/andock-ci/tools");
        return Path.of(tools, "weed-" + VERSION);
    }

    /** The JVM's server, started on first use; skips the calling test when SeaweedFS is not built. */
    public static synchronized SeaweedFs shared() throws Exception {
        Path weed = binary();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(weed), () -> weed + " not built (bash .ci/go-tools): skipped");
        if (shared == null) shared = start(weed);
        return shared;
    }

    /** A fresh prefix in {@link #BUCKET}. */
    public String prefix() {
        return "t" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet();
    }

    public S3Client client() {
        return client(BUCKET);
    }

    public S3Client client(String bucket) {
        return new S3Client(endpoint, bucket, new S3Signer(ACCESS_KEY, SECRET_KEY, "us-east-1"), Duration.ofSeconds(30));
    }

    private static SeaweedFs start(Path weed) throws Exception {
        Path dir = Files.createTempDirectory("andock-seaweedfs");
        Path config = dir.resolve("s3.json");
        Files.writeString(config, "{\"identities\":[{\"name\":\"hub\",\"credentials\":[{\"accessKey\":\"" + ACCESS_KEY
                + "\",\"secretKey\":\"" + SECRET_KEY + "\"}],\"actions\":[\"Admin\",\"Read\",\"Write\",\"List\",\"Tagging\"]}]}");
        Files.createDirectories(dir.resolve("data"));
        int[] ports = freePorts(4); // master, volume, filer, s3; each also needs port+10000 for its gRPC
        List<String> cmd = new ArrayList<>(List.of(weed.toString(), "server", "-dir=" + dir.resolve("data"),
                "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.port=" + ports[0], "-volume.port=" + ports[1],
                "-filer.port=" + ports[2], "-s3", "-s3.port=" + ports[3], "-s3.config=" + config,
                "-master.volumeSizeLimitMB=256", "-volume.max=32"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("weed.log").toFile()).start();
        SeaweedFs s = new SeaweedFs(p, dir, URI.create("http://127.0.0.1:" + ports[3]));
        Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        s.awaitReady(Duration.ofSeconds(90));
        return s;
    }

    /** Ready when an object can be written and read back (the volume server registers after the S3 port opens). */
    private void awaitReady(Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        S3Client c = client("andock-ready");
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("weed exited: " + Files.readString(dir.resolve("weed.log")));
            try {
                c.ensureBucket();
                c.put("probe", new byte[]{1});
                try (InputStream in = c.get("probe", 0)) {
                    if (in.readAllBytes().length == 1) return;
                }
            } catch (AndockException | IOException e) {
                last = e instanceof RuntimeException re ? re : new RuntimeException(e);
            }
            Thread.sleep(500);
        }
        stop();
        throw new IllegalStateException("SeaweedFS not ready in " + bound.toSeconds() + " s: " + last);
    }

    private static int[] freePorts(int n) throws IOException {
        Random r = new Random();
        int[] out = new int[n];
        for (int i = 0; i < n; ) {
            int p = 20000 + r.nextInt(25000);
            if (free(p) && free(p + 10000)) out[i++] = p;
        }
        return out;
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
        io.andock.os.FileTrees.removeTree(dir);
    }
}
