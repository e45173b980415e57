package io.andock.daemon.backend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The daemon's event log ({@code docker events}): what this daemon did or saw, in Docker's message shape. Keeps
 * the last 1000 events for {@code since}; subscribers are called on the publishing thread and must not block.
 */
public final class Events {
    private static final int KEEP = 1000;
    private final ArrayDeque<Map<String, Object>> recent = new ArrayDeque<>();
    private final List<Consumer<Map<String, Object>>> listeners = new CopyOnWriteArrayList<>();

    public void publish(String type, String action, String id, Map<String, String> attributes) {
        long nanos = System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L;
        Map<String, Object> e = new LinkedHashMap<>();
        if (type.equals("container") || type.equals("image")) {
            e.put("status", action);
            e.put("id", id);
            if (attributes.containsKey("image")) e.put("from", attributes.get("image"));
        }
        e.put("Type", type);
        e.put("Action", action);
        e.put("Actor", Map.of("ID", id, "Attributes", attributes));
        e.put("scope", "local");
        e.put("time", nanos / 1_000_000_000L);
        e.put("timeNano", nanos);
        synchronized (recent) {
            recent.addLast(e);
            if (recent.size() > KEEP) recent.removeFirst();
        }
        for (Consumer<Map<String, Object>> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ignored) {
                // a broken subscriber must not break the publisher
            }
        }
    }

    /** Events since {@code sinceNanos} (inclusive), then every new one, until the returned handle is closed. */
    public AutoCloseable subscribe(long sinceNanos, Consumer<Map<String, Object>> listener) {
        List<Map<String, Object>> old = new ArrayList<>();
        synchronized (recent) {
            if (sinceNanos >= 0) {
                for (Map<String, Object> e : recent) if ((long) e.get("timeNano") >= sinceNanos) old.add(e);
            }
            listeners.add(listener);
        }
        for (Map<String, Object> e : old) listener.accept(e);
        return () -> listeners.remove(listener);
    }
}
