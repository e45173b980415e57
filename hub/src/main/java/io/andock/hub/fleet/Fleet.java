package io.andock.hub.fleet;

import io.andock.hub.storage.HubStorage;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The hub's side of following: devices poll with what they hold, and the answer comes at once when a followed tag
 * points elsewhere, else when a tag moves (a push, a mirror's revalidation), else after the poll's wait. Long polling
 * over plain HTTP rather than a stream of events: it crosses mobile networks, NAT and proxies as any request does, and
 * a device that reconnects after a drop or a hub restart needs no event id, because it says what it holds.
 *
 * <p>A held poll holds no thread: it is a {@link Waiter} in a set, completed by the fleet's one thread when a tag
 * moves, at its deadline, or at a sweep every {@link #RECHECK}. State lives in {@link HubStorage} only (key
 * {@code fleet/devices/<id>}: the device's last report, when and from where), so several replicas on one bucket serve
 * one fleet: the sweep rereads the tags in case another replica took the push.
 */
public final class Fleet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("andock.hub.fleet");
    static final Duration RECHECK = Duration.ofSeconds(2);
    private static final String DEVICES = "fleet/devices";

    /** A tag's current manifest digest on this hub (a mirrored one revalidated when due). */
    public interface TagReader {
        Optional<Digest> current(String repository, String tag);
    }

    /** A held poll. */
    private record Waiter(DeviceReport report, long deadline, CompletableFuture<Map<String, String>> answer) {}

    private final HubStorage storage;
    private final TagReader tags;
    private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService thread;
    private long lastSweep = System.nanoTime();

    public Fleet(HubStorage storage, TagReader tags) {
        this.storage = storage;
        this.tags = tags;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "andock-hub-fleet");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tick, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Called after any tag of {@code repository} was written: the polls following it look again, at once. */
    public void tagMoved(String repository) {
        thread.execute(() -> sweep(w -> w.report().follows().stream().anyMatch(f -> f.repository().equals(repository))));
    }

    /**
     * Records the report, then answers when a followed tag differs from what the device has seen, or after
     * {@code wait}: the current digest of every followed tag the hub holds ({@code repository:tag} → digest).
     */
    CompletableFuture<Map<String, String>> poll(DeviceReport report, String address, Duration wait) {
        record(report, address);
        Map<String, String> now = current(report, new HashMap<>());
        if (moved(report, now) || wait.isZero()) return CompletableFuture.completedFuture(now);
        Waiter w = new Waiter(report, System.nanoTime() + wait.toNanos(), new CompletableFuture<>());
        waiting.add(w);
        return w.answer();
    }

    /** Held polls right now (for tests and metrics). */
    int waiting() {
        return waiting.size();
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            boolean sweepAll = now - lastSweep >= RECHECK.toNanos();
            if (sweepAll) lastSweep = now;
            sweep(w -> sweepAll || now - w.deadline() >= 0);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "fleet: " + e, e);
        }
    }

    /** Answers the held polls {@code which} selects whose tags moved or whose time is up; reads each tag once. */
    private void sweep(java.util.function.Predicate<Waiter> which) {
        Map<String, Optional<String>> cache = new HashMap<>();
        long now = System.nanoTime();
        for (Waiter w : waiting) {
            if (!which.test(w)) continue;
            Map<String, String> digests = current(w.report(), cache);
            if (moved(w.report(), digests) || now - w.deadline() >= 0) {
                if (waiting.remove(w)) w.answer().complete(digests);
            }
        }
    }

    private static boolean moved(DeviceReport report, Map<String, String> now) {
        for (DeviceReport.Follow f : report.follows()) {
            String d = now.get(f.ref());
            if (d != null && (f.seen() == null || !d.equals(f.seen().toString()))) return true;
        }
        return false;
    }

    private Map<String, String> current(DeviceReport report, Map<String, Optional<String>> cache) {
        Map<String, String> out = new LinkedHashMap<>();
        for (DeviceReport.Follow f : report.follows()) {
            cache.computeIfAbsent(f.ref(), ref -> {
                try {
                    return tags.current(f.repository(), f.tag()).map(Digest::toString);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "tag " + ref + ": " + e, e); // unknown or unreachable upstream: not in the answer
                    return Optional.empty();
                }
            }).ifPresent(d -> out.put(f.ref(), d));
        }
        return out;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        for (Waiter w : waiting) w.answer().cancel(false);
        waiting.clear();
    }

    private void record(DeviceReport report, String address) {
        storage.put(DEVICES + "/" + report.device(), Json.writeBytes(report.toJson(Instant.now().toString(), address)));
    }

    /** Every device that ever polled, by id: its last report, {@code last_seen} and {@code address}. */
    public List<Map<String, Object>> devices() {
        return devices(storage);
    }

    /** The same from a hub's storage (for {@code andock hub devices}, with or without the hub running). */
    public static List<Map<String, Object>> devices(HubStorage storage) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : storage.children(DEVICES)) {
            try {
                storage.get(DEVICES + "/" + id).ifPresent(b -> out.add(JsonObject.parse(b).map()));
            } catch (RuntimeException e) {
                LOG.warning("device " + id + ": unreadable record: " + e.getMessage());
            }
        }
        return out;
    }

    /** The devices as {@code andock hub devices} prints them (also for a hub that is not running). */
    public static String table(List<Map<String, Object>> devices) {
        StringBuilder b = new StringBuilder(String.format("%-24s %-26s %-16s %-8s %s%n", "DEVICE", "LAST SEEN", "VERSION", "DRIVER", "FOLLOWS"));
        for (Map<String, Object> d : devices) {
            JsonObject o = JsonObject.of(d);
            List<String> fs = new ArrayList<>();
            for (JsonObject f : o.objects("follows")) {
                String digest = f.string("digest", null);
                fs.add(f.string("ref", "") + "@" + (digest == null ? "-" : shortDigest(digest)) + " (" + f.string("update", "") + ", " + f.string("state", "") + ")");
            }
            b.append(String.format("%-24s %-26s %-16s %-8s %s%n", o.string("device", ""), o.string("last_seen", ""), o.string("version", ""),
                    o.string("driver", ""), fs.isEmpty() ? "-" : String.join("; ", fs)));
        }
        return b.toString();
    }

    static String shortDigest(String d) {
        int colon = d.indexOf(':');
        return d.length() > colon + 13 ? d.substring(colon + 1, colon + 13) : d;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
