package io.andock.follow;

import io.andock.AndockException;
import io.andock.engine.Engine;
import io.andock.engine.ImageDetails;
import io.andock.image.Reference;

import java.nio.channels.FileLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Following tags on a hub, for one store root: {@code andock follow REF}, {@code follow ls}, {@code follow rm} and
 * the agent that acts on them (inside {@code andock daemon}, or {@code andock follow --agent}). A room above the
 * engine: it works through the engine's façades as a front end does, so the pull it stages with is the engine's
 * normal pull (and whatever that pull learns, such as fetching only missing files from an andock hub, it uses too).
 */
public final class Follows {
    private final Engine engine;
    private final FollowStore store;

    public Follows(Engine engine) {
        this.engine = engine;
        this.store = new FollowStore(engine.config().root());
    }

    /**
     * Follows {@code ref} (a tag; replaces the mode and grace of an existing subscription). The digest the store
     * holds under the tag now counts as applied, so a tag already pulled is not pulled again.
     */
    public Subscription follow(String ref, FollowMode mode, int graceSeconds) {
        Reference r = Reference.parse(ref);
        if (r.digest() != null) throw AndockException.invalid("follow a tag, not a digest: " + ref);
        if (r.domain().equals(Reference.DOCKER_HUB)) {
            throw AndockException.invalid("docker.io is no andock hub: follow a tag on a hub, HOST:PORT/REPOSITORY:TAG");
        }
        if (graceSeconds < 1 || graceSeconds > 3600) throw AndockException.invalid("--grace must be between 1 and 3600 seconds");
        String name = r.tag() == null ? r.withTag("latest").toString() : r.toString();
        Optional<ImageDetails> have = image(name);
        Subscription fresh = new Subscription(name, mode, graceSeconds, have.map(ImageDetails::target).orElse(null),
                have.map(ImageDetails::target).orElse(null), have.isPresent() ? "following" : "following (not pulled yet)", io.andock.Timestamps.format(java.time.Instant.now()));
        Subscription[] out = new Subscription[1];
        store.update(list -> {
            List<Subscription> next = new ArrayList<>();
            boolean found = false;
            for (Subscription s : list) {
                if (s.ref().equals(name)) {
                    out[0] = new Subscription(name, mode, graceSeconds, s.digest(), s.seen(), s.state(), s.at());
                    next.add(out[0]);
                    found = true;
                } else {
                    next.add(s);
                }
            }
            if (!found) next.add(out[0] = fresh);
            return next;
        });
        return out[0];
    }

    public List<Subscription> list() {
        return store.list();
    }

    public void remove(String ref) {
        Reference r = Reference.parse(ref);
        String name = r.tag() == null ? r.withTag("latest").toString() : r.toString();
        boolean[] found = {false};
        store.update(list -> {
            found[0] = list.removeIf(s -> s.ref().equals(name));
            return list;
        });
        if (!found[0]) throw AndockException.notFound("not following " + ref);
    }

    /** The name the hub knows this root by. */
    public String deviceId() {
        return store.deviceId();
    }

    /**
     * Starts this root's one agent (the caller closes it). CONFLICT when another process runs it (the daemon, or
     * another {@code follow --agent}).
     */
    public FollowAgent startAgent(String version) {
        Optional<FileLock> lock = store.tryAgentLock();
        if (lock.isEmpty()) throw AndockException.conflict("another agent follows tags for " + engine.config().root() + " (andock daemon or follow --agent)");
        String driver = driverName();
        FollowAgent agent = new FollowAgent(store, new Updater(engine, store), new HubPoller(engine.config().registry(),
                io.andock.registry.CredentialStore.standard(engine.config().configDir())), version, driver, lock.get());
        agent.start();
        return agent;
    }

    /** The driver containers of this root get (as the hub shows it): the forced one, else what the host probe chose. */
    private String driverName() {
        if (engine.config().driver() != null) return engine.config().driver();
        try {
            io.andock.host.HostReport r = engine.hostReport(null, false);
            return r.choice() == null ? "none" : r.choice().driver().id();
        } catch (AndockException e) {
            return "unknown";
        }
    }

    private Optional<ImageDetails> image(String ref) {
        try {
            return Optional.of(engine.images().inspect(ref));
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.NOT_FOUND) return Optional.empty();
            throw e;
        }
    }
}
