package io.andock.hub.fleet;

import io.andock.hub.storage.HubStorage;
import io.andock.image.Digest;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * <p>State lives in {@link HubStorage} only (key {@code fleet/devices/<id>}: the device's last report, when and from
 * where), so several replicas on one bucket serve one fleet; a poll also rereads the tags every
 * {@link #RECHECK} in case another replica took the push.
 */
public final class Fleet {
    private static final Logger LOG = Logger.getLogger("andock.hub.fleet");
    static final Duration RECHECK = Duration.ofSeconds(2);
    private static final String DEVICES = "fleet/devices";

    /** A tag's current manifest digest on this hub (a mirrored one revalidated when due). */
    public interface TagReader {
        Optional<Digest> current(String repository, String tag);
    }

    private final HubStorage storage;
    private final TagReader tags;
    private final TagMoves moves = new TagMoves();

    public Fleet(HubStorage storage, TagReader tags) {
        this.storage = storage;
        this.tags = tags;
    }

    /** Called after any tag of {@code repository} was written: waiting polls look again. */
    public void tagMoved(String repository) {
        moves.moved();
    }

    /**
     * Records the report, then waits at most {@code wait} for a followed tag to differ from what the device has
     * seen. Returns the current digest of every followed tag the hub holds ({@code repository:tag} → digest).
     */
    Map<String, String> poll(DeviceReport report, String address, Duration wait) throws InterruptedException {
        record(report, address);
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            long gen = moves.generation();
            Map<String, String> now = current(report);
            boolean moved = false;
            for (DeviceReport.Follow f : report.follows()) {
                String d = now.get(f.ref());
                if (d != null && (f.seen() == null || !d.equals(f.seen().toString()))) moved = true;
            }
            long left = end - System.nanoTime();
            if (moved || left <= 0) return now;
            moves.await(gen, Duration.ofNanos(Math.min(left, RECHECK.toNanos())));
        }
    }

    private Map<String, String> current(DeviceReport report) {
        Map<String, String> out = new LinkedHashMap<>();
        for (DeviceReport.Follow f : report.follows()) {
            try {
                tags.current(f.repository(), f.tag()).ifPresent(d -> out.put(f.ref(), d.toString()));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "tag " + f.ref() + ": " + e, e); // unknown or unreachable upstream: not in the answer
            }
        }
        return out;
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
