package io.andock.follow;

import io.andock.AndockException;
import io.andock.image.Digest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The one agent of a store root: a thread per hub that long-polls it with the device's report and applies what
 * moved, one update at a time (see {@link Updater}). A dropped connection, a hub restart or a refused answer is
 * logged in one line and followed by a new poll after a backoff (1 s doubling to 30 s, with jitter); a hub that
 * answers again resets it. Subscriptions added or removed while it runs are picked up within a second: the poll
 * under way is cut short and made again with them.
 */
public final class FollowAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("andock.follow");
    /** How long the hub may hold a poll: under the hub's default idle timeout (30 s). */
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final FollowStore store;
    private final Updater updater;
    private final HubPoller poller;
    private final String version;
    private final String driver;
    private final Map<String, Watch> watchers = new HashMap<>();
    private volatile boolean closed;
    private Thread scanner;

    private final java.nio.channels.FileLock lock;

    FollowAgent(FollowStore store, Updater updater, HubPoller poller, String version, String driver, java.nio.channels.FileLock lock) {
        this.lock = lock;
        this.store = store;
        this.updater = updater;
        this.poller = poller;
        this.version = version;
        this.driver = driver;
    }

    /** Finishes an interrupted update, then starts the polls; returns at once. */
    void start() {
        try {
            updater.recover();
        } catch (AndockException e) {
            LOG.warning("resuming the interrupted update: " + e.getMessage());
        }
        scanner = new Thread(this::scan, "andock-follow");
        scanner.setDaemon(true);
        scanner.start();
    }

    /** A hub's watcher: the tags its poll under way reported, and how to cut that poll short. */
    private static final class Watch {
        final AtomicReference<Runnable> abort = new AtomicReference<>();
        volatile Set<String> refs = Set.of();
        volatile boolean renewing;
        Thread thread;
    }

    /**
     * Every second: starts a watcher for each hub that has subscriptions and none yet, and cuts short the poll of a
     * hub whose followed tags changed ({@code andock follow}, {@code follow rm}), so that it polls again with them.
     */
    private void scan() {
        while (!closed) {
            try {
                Map<String, Set<String>> hubs = new LinkedHashMap<>();
                for (Subscription s : store.list()) hubs.computeIfAbsent(s.hub(), h -> new LinkedHashSet<>()).add(s.hubRef());
                synchronized (watchers) {
                    watchers.values().removeIf(w -> !w.thread.isAlive());
                    for (Map.Entry<String, Set<String>> h : hubs.entrySet()) {
                        Watch w = watchers.get(h.getKey());
                        if (w == null) {
                            Watch fresh = new Watch();
                            fresh.thread = new Thread(() -> watch(h.getKey(), fresh), "andock-follow " + h.getKey());
                            fresh.thread.setDaemon(true);
                            watchers.put(h.getKey(), fresh);
                            fresh.thread.start();
                        } else if (!w.refs.isEmpty() && !w.refs.equals(h.getValue())) {
                            w.renewing = true;
                            Runnable cut = w.abort.get();
                            if (cut != null) cut.run();
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.warning("follow: " + e.getMessage());
            }
            if (!sleep(Duration.ofSeconds(1))) return;
        }
    }

    /** Polls one hub while it has subscriptions. */
    private void watch(String hub, Watch w) {
        Duration backoff = Duration.ofSeconds(1);
        boolean failing = false;
        while (!closed) {
            List<Subscription> subs = new ArrayList<>();
            for (Subscription s : store.list()) if (s.hub().equals(hub)) subs.add(s);
            if (subs.isEmpty()) return;
            Map<String, Subscription> byHubRef = new LinkedHashMap<>();
            for (Subscription s : subs) byHubRef.put(s.hubRef(), s);
            w.refs = Set.copyOf(byHubRef.keySet());
            w.renewing = false;
            Map<String, Digest> tags;
            try {
                tags = poller.poll(hub, report(subs), byHubRef.keySet(), WAIT, w.abort);
                if (failing) LOG.info("hub " + hub + " answers again");
                failing = false;
                backoff = Duration.ofSeconds(1);
            } catch (AndockException e) {
                if (closed) return;
                if (w.renewing) continue; // cut short on purpose: the followed tags changed
                LOG.warning("follow: " + e.getMessage() + " (again in " + backoff.toSeconds() + " s)");
                failing = true;
                if (!sleep(jitter(backoff))) return;
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                continue;
            }
            for (Map.Entry<String, Digest> t : tags.entrySet()) {
                Subscription s = byHubRef.get(t.getKey());
                if (s == null || t.getValue().equals(s.seen())) continue;
                try {
                    updater.apply(store.get(s.ref()).orElse(s), t.getValue());
                } catch (AndockException e) {
                    LOG.warning("follow " + s.ref() + ": " + e.getMessage());
                    if (!sleep(jitter(backoff))) return; // a pull that fails is tried again at the next poll
                }
            }
        }
    }

    private Map<String, Object> report(List<Subscription> subs) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("device", store.deviceId());
        r.put("version", version);
        r.put("driver", driver);
        List<Object> fs = new ArrayList<>();
        for (Subscription s : subs) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("ref", s.hubRef());
            f.put("digest", s.digest() == null ? null : s.digest().toString());
            f.put("seen", s.seen() == null ? null : s.seen().toString());
            f.put("update", s.mode().word());
            f.put("state", printable(s.state()));
            fs.add(f);
        }
        r.put("follows", fs);
        return r;
    }

    /** The hub accepts printable ASCII up to 200 characters in a report's words. */
    private static String printable(String s) {
        if (s == null) return "";
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 200 ? p.substring(0, 199) + "~" : p;
    }

    private static Duration jitter(Duration d) {
        return d.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, d.toMillis() / 4)));
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Blocks until {@link #close} (the CLI's {@code follow --agent}). */
    public void join() throws InterruptedException {
        while (!closed) Thread.sleep(1000);
    }

    @Override
    public void close() {
        closed = true;
        if (scanner != null) scanner.interrupt();
        synchronized (watchers) {
            for (Watch w : watchers.values()) {
                w.thread.interrupt();
                Runnable cut = w.abort.get();
                if (cut != null) cut.run();
            }
        }
        try {
            lock.channel().close();
        } catch (java.io.IOException e) {
            // released with the process anyway
        }
    }

}
