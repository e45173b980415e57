package io.andock.hub;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hub's settings, from {@code --config hub.json} and the command line (the command line wins). Unknown keys
 * and bad values are one-line errors naming the key.
 */
public record HubConfig(Path root, String host, int port, Tls tls, boolean plainHttp, Auth auth, Limits limits,
                        boolean sparseManifests, long gcGraceSeconds, Mirroring mirroring, long gcIntervalSeconds, S3 s3) {

    /**
     * Storage in an S3-compatible bucket instead of under {@code root} (which then keeps only local state: tokens'
     * key, spooled chunks): path-style requests to {@code endpoint}, objects under {@code prefix} in {@code bucket}.
     */
    public record S3(java.net.URI endpoint, String bucket, String region, String accessKey, String secretKey, String prefix) {
        @Override
        public String toString() { // never the secret
            return endpoint + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }

    public HubConfig withS3(S3 s) {
        return new HubConfig(root, host, port, tls, plainHttp, auth, limits, sparseManifests, gcGraceSeconds, mirroring, gcIntervalSeconds, s);
    }

    /** An upstream registry the hub mirrors: the name clients know it by ({@code docker.io}), where it is, credentials. */
    public record Upstream(String name, java.net.URI url, String username, String password) {}

    /** Pull-through mirroring: the upstreams, and how long a mirrored tag is served before it is asked for again. */
    public record Mirroring(List<Upstream> upstreams, long tagTtlSeconds, long maxBytes) {
        public Mirroring(List<Upstream> upstreams, long tagTtlSeconds) {
            this(upstreams, tagTtlSeconds, 0);
        }

        public static Mirroring none() {
            return new Mirroring(List.of(), 300);
        }
    }

    /** {@code NAME=URL} (the {@code --upstream} flag). */
    public static Upstream upstream(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) throw AndockException.invalid("--upstream " + spec + ": expected NAME=URL, e.g. docker.io=https://registry-1.docker.io");
        return upstream(spec.substring(0, eq), spec.substring(eq + 1), null, null);
    }

    static Upstream upstream(String name, String url, String user, String password) {
        if (!name.matches("[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]{1,5})?")) throw AndockException.invalid("upstream name \"" + name + "\": expected a registry host such as docker.io");
        java.net.URI u;
        try {
            u = java.net.URI.create(url);
        } catch (IllegalArgumentException e) {
            throw AndockException.invalid("upstream " + name + ": invalid URL " + url);
        }
        if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))) {
            throw AndockException.invalid("upstream " + name + ": expected http(s)://host[:port], not " + url);
        }
        return new Upstream(name, u, user, password);
    }

    /** Runs gc inside {@code serve} every {@code seconds} (0: never). */
    public HubConfig withGcInterval(long seconds) {
        return new HubConfig(root, host, port, tls, plainHttp, auth, limits, sparseManifests, gcGraceSeconds, mirroring, seconds, s3);
    }

    public HubConfig withMirroring(Mirroring m) {
        return new HubConfig(root, host, port, tls, plainHttp, auth, limits, sparseManifests, gcGraceSeconds, m, gcIntervalSeconds, s3);
    }

    public record Tls(Path cert, Path key) {}

    /** One rule: these users (or "*" for every signed-in user, "anonymous" for nobody signed in) may do these actions on names starting with prefix. */
    public record Rule(List<String> users, String prefix, Set<String> actions) {}

    public record Auth(Path htpasswd, boolean anonymousPull, List<Rule> rules) {}

    public record Limits(long maxManifestBytes, long maxBlobBytes, int maxUploads, int readTimeoutSeconds,
                         int maxConnections, int uploadIdleSeconds, int maxThreads) {
        public static Limits defaults() {
            return new Limits(4L << 20, 1L << 40, 1000, 30, 4096, 1800, 256);
        }
    }

    public static HubConfig defaults(Path root) {
        return new HubConfig(root, "127.0.0.1", 5000, null, false, null, Limits.defaults(), false, 3600, Mirroring.none(), 0, null);
    }

    public HubConfig withRoot(Path r) {
        return new HubConfig(r, host, port, tls, plainHttp, auth, limits, sparseManifests, gcGraceSeconds, mirroring, gcIntervalSeconds, s3);
    }

    public HubConfig withAddr(String addr) {
        int c = addr.lastIndexOf(':');
        if (c < 0) throw AndockException.invalid("--addr " + addr + ": expected HOST:PORT");
        String h = addr.substring(0, c);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        int p;
        try {
            p = Integer.parseInt(addr.substring(c + 1));
        } catch (NumberFormatException e) {
            throw AndockException.invalid("--addr " + addr + ": the port is not a number");
        }
        if (p < 0 || p > 65535) throw AndockException.invalid("--addr " + addr + ": the port is out of range");
        return new HubConfig(root, h.isEmpty() ? "0.0.0.0" : h, p, tls, plainHttp, auth, limits, sparseManifests, gcGraceSeconds, mirroring, gcIntervalSeconds, s3);
    }

    public HubConfig withTls(Tls t) {
        return new HubConfig(root, host, port, t, plainHttp, auth, limits, sparseManifests, gcGraceSeconds, mirroring, gcIntervalSeconds, s3);
    }

    public HubConfig withPlainHttp(boolean b) {
        return new HubConfig(root, host, port, tls, b, auth, limits, sparseManifests, gcGraceSeconds, mirroring, gcIntervalSeconds, s3);
    }

    public HubConfig withAuth(Auth a) {
        return new HubConfig(root, host, port, tls, plainHttp, a, limits, sparseManifests, gcGraceSeconds, mirroring, gcIntervalSeconds, s3);
    }

    public HubConfig withSparse(boolean b) {
        return new HubConfig(root, host, port, tls, plainHttp, auth, limits, b, gcGraceSeconds, mirroring, gcIntervalSeconds, s3);
    }

    public HubConfig withLimits(Limits l) {
        return new HubConfig(root, host, port, tls, plainHttp, auth, l, sparseManifests, gcGraceSeconds, mirroring, gcIntervalSeconds, s3);
    }

    public HubConfig withGcGrace(long s) {
        return new HubConfig(root, host, port, tls, plainHttp, auth, limits, sparseManifests, s, mirroring, gcIntervalSeconds, s3);
    }

    /** True when the address is loopback only (plain HTTP is fine there). */
    public boolean loopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Refuses a configuration that would serve credentials or images in the clear on the network. */
    public void check() {
        if (root == null) throw AndockException.invalid("no --root (or \"root\" in the config)");
        checkNotEngineStore(root);
        if (tls == null && !plainHttp && !loopback()) {
            throw AndockException.invalid("plain HTTP on " + host + ":" + port + " (not loopback): give TLS (\"tls\": {\"cert\",\"key\"}) or set \"plain-http\": true");
        }
    }

    /**
     * Refuses an andock engine's store as the hub's root: it has a {@code content/} of its own, and the hub's gc
     * would remove the engine's blobs (and the engine's gc the hub's).
     */
    public static void checkNotEngineStore(Path root) {
        if (Files.exists(root.resolve("images.json")) || Files.isDirectory(root.resolve("snapshots"))) {
            throw AndockException.invalid(root + " is an andock engine store: give the hub a directory of its own (--root)");
        }
    }

    private static final Set<String> TOP = Set.of("root", "addr", "tls", "plain-http", "auth", "limits", "sparse-manifests", "gc", "upstreams", "mirror", "storage");

    public static HubConfig load(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw AndockException.invalid("config " + file + ": no such file");
        } catch (IOException e) {
            throw AndockException.invalid("config " + file + ": " + e.getMessage());
        }
        try {
            return parse(JsonObject.of(Json.parse(b)), file.toAbsolutePath().getParent());
        } catch (AndockException e) {
            throw AndockException.invalid("config " + file + ": " + e.getMessage());
        }
    }

    static HubConfig parse(JsonObject o, Path base) {
        known(o, TOP, "");
        HubConfig c = defaults(o.has("root") ? base.resolve(o.string("root")) : null);
        if (o.has("addr")) c = c.withAddr(o.string("addr"));
        if (o.has("tls")) {
            JsonObject t = o.object("tls");
            known(t, Set.of("cert", "key"), "tls.");
            if (!t.has("cert") || !t.has("key")) throw AndockException.invalid("\"tls\" needs \"cert\" and \"key\"");
            c = c.withTls(new Tls(base.resolve(t.string("cert")), base.resolve(t.string("key"))));
        }
        c = c.withPlainHttp(o.bool("plain-http")).withSparse(o.bool("sparse-manifests"));
        if (o.has("auth")) {
            JsonObject a = o.object("auth");
            known(a, Set.of("htpasswd", "anonymous-pull", "access"), "auth.");
            List<Rule> rules = new ArrayList<>();
            for (JsonObject r : a.objects("access")) {
                known(r, Set.of("users", "prefix", "actions"), "auth.access[].");
                Set<String> actions = Set.copyOf(r.strings("actions"));
                for (String act : actions) {
                    if (!Set.of("pull", "push", "delete", "*").contains(act)) {
                        throw AndockException.invalid("auth.access[].actions: unknown action \"" + act + "\" (pull, push, delete, *)");
                    }
                }
                rules.add(new Rule(r.strings("users"), r.string("prefix", ""), actions));
            }
            c = c.withAuth(new Auth(a.has("htpasswd") ? base.resolve(a.string("htpasswd")) : null,
                    a.has("anonymous-pull") ? a.bool("anonymous-pull") : false, rules));
        }
        if (o.has("limits")) {
            JsonObject l = o.object("limits");
            known(l, Set.of("max-manifest-bytes", "max-blob-bytes", "max-uploads", "read-timeout-seconds",
                    "max-connections", "upload-idle-seconds", "max-threads"), "limits.");
            Limits d = Limits.defaults();
            c = c.withLimits(new Limits(positive(l, "max-manifest-bytes", d.maxManifestBytes()),
                    positive(l, "max-blob-bytes", d.maxBlobBytes()), (int) positive(l, "max-uploads", d.maxUploads()),
                    (int) positive(l, "read-timeout-seconds", d.readTimeoutSeconds()),
                    (int) positive(l, "max-connections", d.maxConnections()),
                    (int) positive(l, "upload-idle-seconds", d.uploadIdleSeconds()),
                    (int) positive(l, "max-threads", d.maxThreads())));
        }
        if (o.has("upstreams") || o.has("mirror")) {
            List<Upstream> ups = new ArrayList<>();
            JsonObject u = o.object("upstreams");
            for (String name : new java.util.TreeSet<>(u.map().keySet())) {
                Object v = u.map().get(name);
                if (v instanceof String url) {
                    ups.add(upstream(name, url, null, null));
                } else {
                    JsonObject e = JsonObject.of(v);
                    known(e, Set.of("url", "username", "password"), "upstreams." + name + ".");
                    if (!e.has("url")) throw AndockException.invalid("upstreams." + name + " has no \"url\"");
                    ups.add(upstream(name, e.string("url"), e.string("username"), e.string("password")));
                }
            }
            long ttl = 300, max = 0;
            if (o.has("mirror")) {
                JsonObject m = o.object("mirror");
                known(m, Set.of("tag-ttl-seconds", "max-bytes"), "mirror.");
                ttl = m.number("tag-ttl-seconds", 300);
                if (ttl < 0) throw AndockException.invalid("\"mirror.tag-ttl-seconds\" must not be negative");
                max = m.number("max-bytes", 0);
                if (max < 0) throw AndockException.invalid("\"mirror.max-bytes\" must not be negative");
            }
            c = c.withMirroring(new Mirroring(ups, ttl, max));
        }
        if (o.has("storage")) c = c.withS3(s3(o.object("storage"), System.getenv()));
        if (o.has("gc")) {
            JsonObject g = o.object("gc");
            known(g, Set.of("grace-seconds", "interval-seconds"), "gc.");
            c = c.withGcGrace(g.number("grace-seconds", 3600));
            long every = g.number("interval-seconds", 0);
            if (every < 0) throw AndockException.invalid("\"gc.interval-seconds\" must not be negative");
            c = c.withGcInterval(every);
        }
        return c;
    }

    /** {@code "storage": {"s3": {...}}}; the key and secret from the config or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
    static S3 s3(JsonObject storage, Map<String, String> env) {
        known(storage, Set.of("s3"), "storage.");
        if (!storage.has("s3")) return null;
        JsonObject o = storage.object("s3");
        known(o, Set.of("endpoint", "bucket", "region", "access-key", "secret-key", "prefix"), "storage.s3.");
        if (!o.has("endpoint") || !o.has("bucket")) throw AndockException.invalid("\"storage.s3\" needs \"endpoint\" and \"bucket\"");
        java.net.URI u;
        try {
            u = java.net.URI.create(o.string("endpoint"));
        } catch (IllegalArgumentException e) {
            throw AndockException.invalid("storage.s3.endpoint: invalid URL " + o.string("endpoint"));
        }
        if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null || u.getRawQuery() != null) {
            throw AndockException.invalid("storage.s3.endpoint: expected http(s)://host[:port], not " + o.string("endpoint"));
        }
        String bucket = o.string("bucket");
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) throw AndockException.invalid("storage.s3.bucket: invalid bucket name \"" + bucket + "\"");
        String prefix = o.string("prefix", "");
        if (!prefix.isEmpty() && !prefix.matches("[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*")) { // no dot segments
            throw AndockException.invalid("storage.s3.prefix: invalid prefix \"" + prefix + "\"");
        }
        String key = o.has("access-key") ? o.string("access-key") : env.get("AWS_ACCESS_KEY_ID");
        String secret = o.has("secret-key") ? o.string("secret-key") : env.get("AWS_SECRET_ACCESS_KEY");
        if (key == null || key.isEmpty() || secret == null || secret.isEmpty()) {
            throw AndockException.invalid("storage.s3: no credentials: give \"access-key\" and \"secret-key\" or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        String region = o.string("region", env.getOrDefault("AWS_REGION", "us-east-1"));
        return new S3(u, bucket, region, key, secret, prefix);
    }

    private static long positive(JsonObject o, String key, long dflt) {
        long v = o.number(key, dflt);
        if (v <= 0) throw AndockException.invalid("\"" + key + "\" must be positive, not " + v);
        return v;
    }

    private static void known(JsonObject o, Set<String> keys, String where) {
        for (Map.Entry<String, Object> e : o.map().entrySet()) {
            if (!keys.contains(e.getKey())) {
                throw AndockException.invalid("unknown key \"" + where + e.getKey() + "\" (known: " + String.join(", ", new java.util.TreeSet<>(keys)) + ")");
            }
        }
    }
}
