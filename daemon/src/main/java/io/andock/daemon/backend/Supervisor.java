package io.andock.daemon.backend;

import io.andock.AndockException;
import io.andock.container.ContainerView;
import io.andock.container.ListOptions;
import io.andock.container.RestartPolicy;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Watches every container once a second: reports {@code die} for exits the daemon did not cause itself, and
 * acts on restart policies (always, unless-stopped, on-failure[:N]) with Docker's doubling back-off (100 ms up to
 * a minute). At daemon start, containers whose policy says so and that went down with it are started again;
 * containers still running under their monitors are simply adopted.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("andock.supervisor");
    private final EngineContainerBackend containers;
    private final Map<String, String> lastStatus = new HashMap<>();
    private final Map<String, Long> notBefore = new HashMap<>();
    /** Each running container's health status at the last tick, for Docker's health_status events. */
    private final Map<String, String> lastHealth = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    public Supervisor(EngineContainerBackend containers) {
        this.containers = containers;
        this.thread = new Thread(this::loop, "andock-supervisor");
        // a container that exits before the next look still counts as having run
        containers.events().subscribe(-1, e -> {
            String action = String.valueOf(e.get("Action"));
            if ("container".equals(e.get("Type")) && (action.equals("start") || action.equals("restart"))) {
                @SuppressWarnings("unchecked") var actor = (Map<String, Object>) e.get("Actor");
                synchronized (lastStatus) {
                    lastStatus.put(String.valueOf(actor.get("ID")), "running");
                }
            }
        });
        this.thread.setDaemon(true);
    }

    public void start() {
        synchronized (lastStatus) {
            boot();
        }
        thread.start();
    }

    private void boot() {
        for (ContainerView v : containers.list(ListOptions.ALL)) {
            RestartPolicy p = v.record().spec().restartPolicy();
            boolean ranBefore = !v.state().startedAt().equals("0001-01-01T00:00:00Z");
            if (!v.state().running() && ranBefore && wantsRestart(v, p, true)) restart(v);
            lastStatus.put(v.id(), v.state().status());
        }
    }

    private void loop() {
        while (!closed) {
            try {
                Thread.sleep(1000);
                tick();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.fine("supervisor: " + e);
            }
        }
    }

    void tick() {
        synchronized (lastStatus) {
            tickLocked();
        }
    }

    private void tickLocked() {
        Map<String, String> seen = new HashMap<>();
        Map<String, String> health = new HashMap<>();
        for (ContainerView v : containers.list(ListOptions.ALL)) {
            String before = lastStatus.get(v.id());
            String now = v.state().status();
            seen.put(v.id(), now);
            if (v.state().running() && v.health() != null) {
                String h = v.health().status();
                health.put(v.id(), h);
                if (!h.equals(lastHealth.get(v.id())) && !h.equals("starting")) {
                    containers.publish("health_status: " + h, v.id(), Map.of("name", v.name(), "image", v.record().spec().image()));
                }
            }
            if ("running".equals(before) && !v.state().running()) {
                containers.publish("die", v.id(), EngineContainerBackend.withExit(Map.of("name", v.name(),
                        "image", v.record().spec().image()), v.state().exitCode()));
                RestartPolicy p = v.record().spec().restartPolicy();
                if (wantsRestart(v, p, false)) {
                    int n = containers.restarts.merge(v.id(), 1, Integer::sum);
                    long delay = Math.min(60_000, 100L << Math.min(n - 1, 10));
                    notBefore.put(v.id(), System.currentTimeMillis() + delay);
                }
            }
            Long due = notBefore.get(v.id());
            if (due != null && System.currentTimeMillis() >= due && !v.state().running()) {
                notBefore.remove(v.id());
                if (!containers.stoppedByUser(v.id())) { // stopped while its restart was due: cancelled
                    restart(v);
                    seen.put(v.id(), "running");
                }
            }
        }
        lastStatus.clear();
        lastStatus.putAll(seen);
        lastHealth.clear();
        lastHealth.putAll(health);
    }

    private boolean wantsRestart(ContainerView v, RestartPolicy p, boolean atBoot) {
        if (atBoot && p.name().equals("on-failure")) return false;
        return containers.policyRestarts(v);
    }

    private void restart(ContainerView v) {
        try {
            containers.startDetached(v.id());
            containers.publish("restart", v.id(), Map.of("name", v.name()));
        } catch (AndockException e) {
            LOG.warning("restart " + v.name() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
