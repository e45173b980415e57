package io.andock.hub;

import io.andock.AndockException;
import io.andock.hub.storage.HubStorage;
import io.andock.hub.sync.IndexQueue;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.registry.CredentialStore;
import io.andock.registry.Credentials;
import io.andock.registry.RegistryClient;
import io.andock.registry.RegistryOptions;
import io.andock.transfer.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Pull-through mirroring of upstream registries, with core's registry client (tokens, retries with backoff,
 * resume with {@code Range}). Mirrored content lives in ordinary repositories named {@code <upstream>/<repo>}
 * ({@code docker.io/library/busybox}), read-only to pushes. Content by digest is kept for good; a tag is asked
 * for again once older than the TTL, and served stale (with a {@code Warning}) while the upstream fails.
 *
 * <p>Single flight: concurrent pulls of a blob not yet cached make one upstream fetch; every client streams from
 * the file as it fills, all but its last byte until the whole blob is verified, so that a lying upstream gives
 * clients a cut transfer, never wrong bytes, and never reaches the cache.
 */
public final class Mirror {
    private static final Logger LOG = Logger.getLogger("andock.hub.mirror");
    private final Map<String, HubConfig.Upstream> upstreams = new LinkedHashMap<>();
    private final RegistryClient client;
    private final Registry registry;
    /** Told of each manifest and blob stored here, so that mirrored layers are indexed for sync as they arrive. */
    private final IndexQueue indexQueue;
    private final Duration tagTtl;
    private final Map<Digest, Flight> flights = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.CompletableFuture<Served>> manifestFlights = new ConcurrentHashMap<>();
    /** When each mirrored blob was last served (this process; older ones count from their file's time). */
    private final Map<Digest, Instant> lastUsed = new ConcurrentHashMap<>();
    private final Set<String> cachePrefixes = new java.util.HashSet<>();
    private final long maxBytes;
    final AtomicLong evicted = new AtomicLong();
    private final ExecutorService fetchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "andock-hub-fetch");
        t.setDaemon(true);
        return t;
    });
    final AtomicLong upstreamManifestFetches = new AtomicLong();
    final AtomicLong upstreamBlobFetches = new AtomicLong();
    final AtomicLong hits = new AtomicLong();
    final AtomicLong misses = new AtomicLong();
    final AtomicLong stale = new AtomicLong();

    /** Where a pull goes: the upstream, the repository there, and the cache repository here. */
    public record Target(HubConfig.Upstream upstream, String repo, String cacheName) {
        Reference ref(String tag, Digest digest) {
            return new Reference(upstream.url().getAuthority(), repo, tag, digest);
        }
    }

    public Mirror(Registry registry, HubConfig.Mirroring m, Path root, Duration readTimeout, IndexQueue indexQueue) {
        this.registry = registry;
        this.indexQueue = indexQueue;
        this.tagTtl = Duration.ofSeconds(m.tagTtlSeconds());
        this.maxBytes = m.maxBytes();
        for (HubConfig.Upstream u : m.upstreams()) {
            upstreams.put(u.name(), u);
            cachePrefixes.add(cacheKey(u.name()) + "/");
        }
        Set<String> insecure = new java.util.HashSet<>();
        for (HubConfig.Upstream u : m.upstreams()) if (u.url().getScheme().equals("http")) insecure.add(u.url().getAuthority());
        CredentialStore creds = new CredentialStore(root.resolve("upstream-auth.json"), List.of());
        for (HubConfig.Upstream u : m.upstreams()) {
            if (u.username() != null) creds.save(u.url().getAuthority(), new Credentials(u.username(), u.password() == null ? "" : u.password()));
        }
        // a client waits while the hub asks upstream: an upstream that hangs is given up on after the read timeout,
        // twice more after a backoff at most (429 and 5xx too), then the client gets a 502 (or the stale tag)
        Duration connect = readTimeout.compareTo(Duration.ofSeconds(15)) < 0 ? readTimeout : Duration.ofSeconds(15);
        RegistryOptions opts = RegistryOptions.defaults().withInsecureRegistries(insecure).withReadTimeout(readTimeout)
                .withTimeouts(connect, readTimeout).withRetries(2, Duration.ofMillis(500));
        this.client = new RegistryClient(opts, creds);
    }

    public boolean enabled() {
        return !upstreams.isEmpty();
    }

    /** Is {@code name} a mirrored repository (read-only to pushes)? */
    public boolean mirrored(String name) {
        int slash = name.indexOf('/');
        return slash > 0 && (upstreams.containsKey(name.substring(0, slash)) || cachePrefixes.contains(name.substring(0, slash + 1)));
    }

    private static String cacheKey(String upstream) {
        return upstream.replace(':', '-');
    }

    /**
     * The mirror target of a pull of {@code name}: {@code ?ns=<upstream>} (containerd, andock), a host prefix
     * ({@code hub/ghcr.io/owner/img}), or, for a repository the hub does not hold, the {@code docker.io} upstream
     * (Docker's {@code registry-mirrors}). Empty: serve from the hub's own repositories.
     */
    public Optional<Target> target(String name, String ns, boolean localExists) {
        if (upstreams.isEmpty()) return Optional.empty();
        if (ns != null) {
            HubConfig.Upstream u = upstreams.get(ns.equals("index.docker.io") || ns.equals("registry-1.docker.io") ? "docker.io" : ns);
            if (u == null) return Optional.empty();
            return Optional.of(new Target(u, name, cacheKey(u.name()) + "/" + name));
        }
        int slash = name.indexOf('/');
        if (slash > 0) {
            HubConfig.Upstream u = upstreams.get(name.substring(0, slash));
            if (u != null) return Optional.of(new Target(u, name.substring(slash + 1), cacheKey(u.name()) + "/" + name.substring(slash + 1)));
        }
        if (!localExists && upstreams.containsKey("docker.io")) {
            // Docker sends the path as it will be upstream (library/busybox): nothing is added
            return Optional.of(new Target(upstreams.get("docker.io"), name, "docker.io/" + name));
        }
        return Optional.empty();
    }

    /** The answer to a manifest pull through the mirror: what is stored, and whether it is stale. */
    public record Served(Registry.StoredManifest manifest, boolean stale) {}

    public Served manifest(Target t, String ref) {
        Optional<Registry.StoredManifest> local = registry.manifest(t.cacheName(), ref);
        boolean isTag = Names.isTag(ref);
        if (local.isPresent()) {
            if (!isTag) {
                hits.incrementAndGet();
                return new Served(local.get(), false);
            }
            Optional<Instant> at = registry.tagTime(t.cacheName(), ref);
            if (at.isPresent() && at.get().plus(tagTtl).isAfter(Instant.now())) {
                hits.incrementAndGet();
                return new Served(local.get(), false);
            }
        }
        misses.incrementAndGet();
        // single flight for manifests too: the clients that ask meanwhile wait for the one upstream request
        String key = t.cacheName() + "@" + ref;
        java.util.concurrent.CompletableFuture<Served> mine = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Served> under = manifestFlights.putIfAbsent(key, mine);
        if (under != null) {
            try {
                return under.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw e;
            }
        }
        try {
            Served s = fetchManifest(t, ref, local, isTag);
            mine.complete(s);
            return s;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            manifestFlights.remove(key, mine);
        }
    }

    private Served fetchManifest(Target t, String ref, Optional<Registry.StoredManifest> local, boolean isTag) {
        RawManifest m;
        try {
            upstreamManifestFetches.incrementAndGet();
            m = isTag ? client.manifest(t.ref(ref, null)) : client.manifest(t.ref(null, Digest.parse(ref)), Digest.parse(ref));
        } catch (AndockException e) {
            if (local.isPresent() && e.kind() != AndockException.Kind.NOT_FOUND) {
                stale.incrementAndGet();
                LOG.warning("upstream " + t.upstream().name() + " failed for " + t.repo() + ":" + ref + ", serving the cached " + local.get().digest() + ": " + e.getMessage());
                return new Served(local.get(), true);
            }
            throw upstreamError(t, ref, e);
        }
        if (local.isPresent() && local.get().digest().equals(m.digest())) {
            registry.putManifest(t.cacheName(), ref, local.get().mediaType(), m.bytes(), List.of(), false); // revalidated: the tag's time moves
            return new Served(local.get(), false);
        }
        registry.putManifest(t.cacheName(), isTag ? ref : m.digest().toString(), m.mediaType(), m.bytes(), List.of(), false);
        indexQueue.manifest(m.bytes(), m.mediaType());
        return new Served(registry.manifest(t.cacheName(), m.digest().toString()).orElseThrow(), false);
    }

    /** The upstream's tags, sorted; the cached ones while the upstream fails. */
    public List<String> tags(Target t) {
        try {
            List<String> tags = new java.util.ArrayList<>(client.tags(t.ref("latest", null)));
            tags.sort(null);
            return tags;
        } catch (AndockException e) {
            if (e.kind() != AndockException.Kind.NOT_FOUND && registry.repositoryExists(t.cacheName())) {
                stale.incrementAndGet();
                LOG.warning("upstream " + t.upstream().name() + " failed listing the tags of " + t.repo() + ", serving the cached ones: " + e.getMessage());
                return registry.tags(t.cacheName());
            }
            if (e.kind() == AndockException.Kind.NOT_FOUND) throw OciError.nameUnknown(t.upstream().name() + "/" + t.repo());
            throw upstreamError(t, "tags", e);
        }
    }

    /** Referrers through the mirror: the descriptors, whether filtered by artifact type, whether from the cache. */
    public record Referrers(List<Map<String, Object>> manifests, boolean filtered, boolean stale) {}

    /**
     * The referrers of {@code subject} as the upstream lists them (kept, unfiltered, to be served while the upstream
     * fails); an upstream without the referrers API gives the referrers mirrored so far.
     */
    public Referrers referrers(Target t, Digest subject, String artifactType) {
        String key = Registry.repoKey(t.cacheName()) + "/_upstream-referrers/" + subject.algorithm() + "-" + subject.hex();
        Optional<RegistryClient.Referrers> got;
        try {
            got = client.referrers(t.ref(null, subject), subject, artifactType);
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.NOT_FOUND) throw OciError.nameUnknown(t.upstream().name() + "/" + t.repo());
            Optional<byte[]> kept = registry.storage().get(key);
            if (kept.isEmpty() && !registry.repositoryExists(t.cacheName())) throw upstreamError(t, "referrers", e);
            stale.incrementAndGet();
            LOG.warning("upstream " + t.upstream().name() + " failed listing the referrers of " + subject + ", serving the cached ones: " + e.getMessage());
            List<Map<String, Object>> list = kept.map(Mirror::manifestsOf).orElseGet(() -> registry.referrers(t.cacheName(), subject, null));
            return new Referrers(filter(list, artifactType), artifactType != null, true);
        }
        if (got.isEmpty()) return new Referrers(registry.referrers(t.cacheName(), subject, artifactType), artifactType != null, false);
        List<Map<String, Object>> list = manifestsOf(got.get().index());
        if (artifactType == null) registry.storage().put(key, got.get().index());
        boolean filter = artifactType != null && !got.get().filtered();
        return new Referrers(filter ? filter(list, artifactType) : list, artifactType != null, false);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> manifestsOf(byte[] index) {
        Object m;
        try {
            m = io.andock.json.Json.parseObject(index).get("manifests");
        } catch (RuntimeException e) {
            throw new OciError(502, "UNKNOWN", "upstream sent an unreadable referrers index: " + e.getMessage());
        }
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        if (m instanceof List<?> l) for (Object o : l) if (o instanceof Map<?, ?> d) out.add((Map<String, Object>) d);
        return out;
    }

    private static List<Map<String, Object>> filter(List<Map<String, Object>> list, String artifactType) {
        if (artifactType == null) return list;
        return list.stream().filter(d -> artifactType.equals(d.get("artifactType"))).toList();
    }

    static OciError upstreamError(Target t, String what, AndockException e) {
        if (e.kind() == AndockException.Kind.NOT_FOUND) return OciError.manifestUnknown(t.upstream().name() + "/" + t.repo() + ":" + what);
        if (e.kind() == AndockException.Kind.UNAUTHORIZED) return OciError.denied("upstream " + t.upstream().name() + " refused: " + e.getMessage());
        if (e.kind() == AndockException.Kind.CORRUPT) return new OciError(502, "UNKNOWN", "upstream " + t.upstream().name() + " sent wrong bytes: " + e.getMessage());
        return new OciError(502, "UNKNOWN", "upstream " + t.upstream().name() + ": " + e.getMessage());
    }

    // ---------------------------------------------------------------- blobs, single flight

    /** One upstream fetch of a blob into a staged upload, followed by every client that asks meanwhile. */
    final class Flight implements Runnable {
        final Target target;
        final Digest digest;
        final long size;
        final HubStorage.Staged staged;
        long written;
        boolean done;
        Throwable failed;

        Flight(Target target, Digest digest, long size) {
            this.target = target;
            this.digest = digest;
            this.size = size;
            this.staged = registry.storage().stage("mirror-" + UUID.randomUUID());
        }

        @Override
        public void run() {
            try {
                upstreamBlobFetches.incrementAndGet();
                MessageDigest md = digest.newDigester();
                try (InputStream up = client.blob(target.ref(null, null), new Descriptor("application/octet-stream", digest, size), 0)) {
                    InputStream counting = new InputStream() {
                        long pending;

                        @Override
                        public int read() throws IOException {
                            throw new UnsupportedOperationException();
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            // the previous chunk is written by now: followers may read it
                            synchronized (Flight.this) {
                                written += pending;
                                pending = 0;
                                Flight.this.notifyAll();
                            }
                            int n = up.read(b, off, len);
                            if (n > 0) {
                                md.update(b, off, n);
                                pending = n;
                            }
                            return n;
                        }
                    };
                    staged.append(counting, size);
                }
                Digest got = Digest.of(digest.algorithm(), md);
                if (staged.size() != size || !got.equals(digest)) {
                    throw AndockException.corrupt("upstream " + target.upstream().name() + " sent " + staged.size() + " bytes hashing to " + got + " for " + digest + " (" + size + " bytes)");
                }
                synchronized (this) {
                    staged.publish(digest);
                    registry.link(target.cacheName(), digest);
                    written = size;
                    done = true;
                    notifyAll();
                }
                used(digest);
                indexQueue.blob(digest);
                if (maxBytes > 0) evict();
            } catch (Throwable t) {
                LOG.warning("mirror fetch of " + digest + " from " + target.upstream().name() + "/" + target.repo() + " failed: " + t);
                synchronized (this) {
                    failed = t;
                    notifyAll();
                }
                try {
                    staged.discard();
                } catch (RuntimeException ignored) {
                    // gone already
                }
            } finally {
                flights.remove(digest, this);
            }
        }

        /** Where a follower's bytes go: one buffer at a time, in order, sent before write returns. */
        interface Sink {
            void write(ByteBuffer bytes) throws IOException;
        }

        /**
         * Streams the blob to {@code sink} as it arrives, through {@code buf} (a direct buffer: a local file is read
         * straight into it): all but the last byte before it is verified. Throws (the client's transfer is cut) when
         * the fetch fails.
         */
        void follow(ByteBuffer buf, Sink sink, Duration stall) throws IOException {
            FileChannel file = null;
            ReadableByteChannel stream = null;
            try {
                long pos = 0;
                while (pos < size) {
                    long limit;
                    synchronized (this) {
                        long deadline = System.nanoTime() + stall.toNanos();
                        while (failed == null && !done && written - 1 <= pos) {
                            long left = deadline - System.nanoTime();
                            if (left <= 0) throw new IOException("upstream stalled for " + digest);
                            try {
                                wait(Math.max(1, left / 1_000_000));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IOException("interrupted");
                            }
                        }
                        if (failed != null) throw new IOException("upstream fetch failed: " + failed.getMessage(), failed);
                        limit = done ? size : written - 1;
                        if (file == null && stream == null) {
                            // opened once bytes are there (a store may stage them only when the fetch writes), under
                            // the lock while the path is valid: the staged file is renamed into place later, and
                            // the channel stays good
                            Optional<java.nio.file.Path> local = done ? registry.storage().blobFile(digest) : staged.localFile();
                            if (local.isPresent()) file = FileChannel.open(local.get(), StandardOpenOption.READ);
                            else stream = Channels.newChannel(done ? registry.openBlob(digest, 0) : staged.read());
                        }
                    }
                    while (pos < limit) {
                        buf.clear();
                        buf.limit((int) Math.min(buf.capacity(), limit - pos));
                        int n = file != null ? file.read(buf, pos) : stream.read(buf);
                        if (n < 0) throw new IOException("staged blob ended early");
                        buf.flip();
                        sink.write(buf);
                        pos += n;
                    }
                }
            } finally {
                if (file != null) file.close();
                if (stream != null) stream.close();
            }
        }
    }

    /** The size of a blob through the mirror, or empty when the upstream lacks it. */
    public OptionalLong blobSize(Target t, Digest d) {
        Flight f = flights.get(d);
        if (f != null) return OptionalLong.of(f.size);
        try {
            return client.blobSize(t.ref(null, null), d);
        } catch (AndockException e) {
            throw upstreamError(t, d.toString(), e);
        }
    }

    /** The flight that fetches {@code d}: the one under way, or a new one. */
    public Flight fetch(Target t, Digest d, long size) {
        misses.incrementAndGet();
        Flight[] started = new Flight[1];
        Flight f = flights.computeIfAbsent(d, k -> started[0] = new Flight(t, d, size));
        if (started[0] != null) fetchers.submit(started[0]);
        return f;
    }

    void hit() {
        hits.incrementAndGet();
    }

    void used(Digest d) {
        lastUsed.put(d, Instant.now());
    }

    public record Eviction(int blobs, long bytes, long kept) {}

    /**
     * Least-recently-used eviction: while the blobs only mirrored repositories hold take more than {@code max-bytes},
     * the least recently served go (their links, then the blob). A blob a repository of the hub's own holds, and every
     * manifest, stays. An evicted blob is fetched again when next asked for.
     */
    public synchronized Eviction evict() {
        if (maxBytes <= 0) return new Eviction(0, 0, 0);
        HubStorage s = registry.storage();
        Set<Digest> own = new java.util.HashSet<>();
        Map<Digest, List<String>> mirroredLinks = new java.util.HashMap<>();
        for (String name : registry.catalog()) {
            boolean m = mirrored(name);
            for (Digest d : HubGc.keys(s, Registry.repoKey(name) + "/_blobs")) {
                if (m) mirroredLinks.computeIfAbsent(d, k -> new java.util.ArrayList<>()).add(name);
                else own.add(d);
            }
            for (Digest d : HubGc.keys(s, Registry.repoKey(name) + "/_manifests")) own.add(d);
        }
        record Candidate(Digest d, long size, Instant used) {}
        List<Candidate> cands = new java.util.ArrayList<>();
        long total = 0;
        for (Map.Entry<Digest, List<String>> e : mirroredLinks.entrySet()) {
            if (own.contains(e.getKey())) continue;
            Optional<HubStorage.Stat> st = s.statBlob(e.getKey());
            if (st.isEmpty()) continue;
            total += st.get().size();
            cands.add(new Candidate(e.getKey(), st.get().size(), lastUsed.getOrDefault(e.getKey(), st.get().modified())));
        }
        cands.sort(java.util.Comparator.comparing(Candidate::used));
        int n = 0;
        long freed = 0;
        for (Candidate c : cands) {
            if (total <= maxBytes) break;
            for (String name : mirroredLinks.get(c.d())) registry.deleteBlob(name, c.d());
            if (s.deleteBlob(c.d())) {
                n++;
                freed += c.size();
                evicted.incrementAndGet();
            }
            lastUsed.remove(c.d());
            total -= c.size();
        }
        if (n > 0) LOG.info("evicted " + n + " mirrored blob(s), " + freed + " bytes: mirrored content now " + total + " bytes (max " + maxBytes + ")");
        return new Eviction(n, freed, total);
    }

    public void close() {
        fetchers.shutdownNow();
    }

    String metrics() {
        return "# HELP andock_hub_mirror_hits_total Pulls served from the cache.\n# TYPE andock_hub_mirror_hits_total counter\n"
                + "andock_hub_mirror_hits_total " + hits.get() + "\n"
                + "# HELP andock_hub_mirror_misses_total Pulls that needed the upstream.\n# TYPE andock_hub_mirror_misses_total counter\n"
                + "andock_hub_mirror_misses_total " + misses.get() + "\n"
                + "# HELP andock_hub_upstream_fetches_total Upstream requests for content.\n# TYPE andock_hub_upstream_fetches_total counter\n"
                + "andock_hub_upstream_fetches_total{kind=\"manifest\"} " + upstreamManifestFetches.get() + "\n"
                + "andock_hub_upstream_fetches_total{kind=\"blob\"} " + upstreamBlobFetches.get() + "\n"
                + "# HELP andock_hub_mirror_stale_total Tags served stale while their upstream failed.\n# TYPE andock_hub_mirror_stale_total counter\n"
                + "andock_hub_mirror_stale_total " + stale.get() + "\n"
                + "# HELP andock_hub_mirror_evicted_total Mirrored blobs evicted beyond mirror.max-bytes.\n# TYPE andock_hub_mirror_evicted_total counter\n"
                + "andock_hub_mirror_evicted_total " + evicted.get() + "\n";
    }
}
