package io.andock.hub;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counters for {@code /metrics} (Prometheus text format 0.0.4). */
public final class Metrics {
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong blobsServed = new AtomicLong();
    private final AtomicLong total = new AtomicLong();

    void request(String method, int status, long in, long out) {
        total.incrementAndGet();
        requests.computeIfAbsent(method + " " + status, k -> new AtomicLong()).incrementAndGet();
        bytesIn.addAndGet(in);
        bytesOut.addAndGet(out);
    }

    /** Requests answered so far. */
    long requests() {
        return total.get();
    }

    void blobServed() {
        blobsServed.incrementAndGet();
    }

    String text(Registry registry) {
        StringBuilder b = new StringBuilder();
        b.append("# HELP andock_hub_requests_total HTTP requests by method and status.\n# TYPE andock_hub_requests_total counter\n");
        requests.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String[] ms = e.getKey().split(" ");
            b.append("andock_hub_requests_total{method=\"").append(ms[0]).append("\",code=\"").append(ms[1]).append("\"} ").append(e.getValue().get()).append('\n');
        });
        b.append("# HELP andock_hub_received_bytes_total Request body bytes received.\n# TYPE andock_hub_received_bytes_total counter\n");
        b.append("andock_hub_received_bytes_total ").append(bytesIn.get()).append('\n');
        b.append("# HELP andock_hub_sent_bytes_total Response body bytes sent.\n# TYPE andock_hub_sent_bytes_total counter\n");
        b.append("andock_hub_sent_bytes_total ").append(bytesOut.get()).append('\n');
        b.append("# HELP andock_hub_blob_downloads_total Blob GETs served.\n# TYPE andock_hub_blob_downloads_total counter\n");
        b.append("andock_hub_blob_downloads_total ").append(blobsServed.get()).append('\n');
        b.append("# HELP andock_hub_uploads_in_progress Blob uploads open now.\n# TYPE andock_hub_uploads_in_progress gauge\n");
        b.append("andock_hub_uploads_in_progress ").append(registry.uploadsInProgress()).append('\n');
        return b.toString();
    }
}
