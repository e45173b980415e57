package io.andock.follow;

import io.andock.AndockException;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerView;
import io.andock.container.ListOptions;
import io.andock.engine.Engine;
import io.andock.engine.ImageDetails;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.image.store.ImageRecord;
import io.andock.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Applies a new version of a followed tag, through the engine's façades only: the pull stages it, then (with
 * {@link FollowMode#RESTART}) each container started from the tag is swapped for one made with the same
 * configuration from the new image.
 *
 * <p>A swap of container {@code N} (id {@code O}): rename {@code O} to {@code N-andock-prev}, stop it, create and
 * start {@code N} from the new image, watch it for the grace period; kept when it neither exits non-zero nor turns
 * unhealthy meanwhile, and then {@code O} is removed. Otherwise the new one is removed, {@code O} gets its name back
 * and runs again, and the tag points at the old image again: the update is "rolled back".
 *
 * <p>Killed at any moment (power, {@code kill -9}), the journal ({@code journal.json}) says which restart was under
 * way and which containers it was swapping; the next agent first undoes every half-done swap (the old container,
 * which is only removed last, gets its name and its running state back), then applies the update from the start.
 * Killed after every swap succeeded (the journal's "keep" phase), it only removes the old containers left. So the
 * old image and containers stay intact, and the new version ends applied once. A create that the kill cut short
 * holds no name (its process is gone), so the old container can always get its name back.
 */
final class Updater {
    private static final Logger LOG = Logger.getLogger("andock.follow");
    static final String PREV_SUFFIX = "-andock-prev";
    private static final Duration WATCH_STEP = Duration.ofMillis(250);

    private final Engine engine;
    private final FollowStore store;

    Updater(Engine engine, FollowStore store) {
        this.engine = engine;
        this.store = store;
    }

    /**
     * Finishes what a killed agent left. Killed while keeping the new containers (every swap had succeeded), it
     * removes the old ones that are left and records the outcome; killed earlier, it undoes every half-done swap,
     * then applies that update again. Throws while a swap cannot be undone; the journal then stays, and no other
     * update is applied over it (see {@link #apply(Subscription, Digest)}).
     */
    synchronized void recover() {
        Optional<JsonObject> j = store.journal();
        if (j.isEmpty()) return;
        JsonObject e = j.get();
        String ref = e.string("ref");
        List<JsonObject> swaps = e.has("containers") ? e.objects("containers") : List.of();
        LOG.info("resuming the update of " + ref + " to " + e.string("target") + " (an agent stopped in its "
                + e.string("phase", "pull") + " phase)");
        Optional<Subscription> s = store.get(ref);
        if ("keep".equals(e.string("phase", null))) {
            for (JsonObject c : swaps) {
                if (engine.containers().exists(c.string("id"))) removeQuietly(c.string("id"));
            }
            if (s.isPresent()) finish(s.get(), Digest.parse(e.string("got")), Digest.parse(e.string("got")), restarted(swaps.size(), Digest.parse(e.string("got"))));
            store.clearJournal();
            return;
        }
        for (JsonObject c : swaps) undoSwap(c);
        if (s.isEmpty()) {
            store.clearJournal();
            return;
        }
        apply(s.get(), Digest.parse(e.string("target")), e.string("old_image", null));
    }

    /**
     * Applies {@code target} to the subscription and records the outcome; returns the subscription as it is now. An
     * update a killed agent left half-done is finished first: until it is, nothing new is applied (the tag has moved
     * already, so what runs could no longer be told from what is new).
     */
    synchronized Subscription apply(Subscription s, Digest target) {
        if (store.journal().isPresent()) {
            recover();
            s = store.get(s.ref()).orElse(s);
            if (target.equals(s.seen())) return s;
        }
        // the image the tag named before matters only to a restart (to roll back to): a staging update reads nothing
        String old = s.mode() == FollowMode.RESTART ? currentImage(s.ref()).map(d -> d.id().toString()).orElse(null) : null;
        return apply(s, target, old);
    }

    private Subscription apply(Subscription s, Digest target, String oldImage) {
        if (s.mode() == FollowMode.NONE) {
            Subscription done = s.outcome(s.digest(), target, "available " + shortOf(target));
            store.replace(done);
            return done;
        }
        Map<String, Object> journal = new LinkedHashMap<>();
        journal.put("ref", s.ref());
        journal.put("target", target.toString());
        journal.put("old_image", oldImage);
        journal.put("phase", "pull");
        // a staging update swaps nothing: killed in its pull, it is redone at the next poll (the subscription has not
        // seen the target yet), so only a restart's pull is journaled (one synced write less per update)
        boolean journaled = s.mode() == FollowMode.RESTART;
        if (journaled) store.writeJournal(journal);
        ImageRecord pulled;
        try {
            pulled = engine.images().pull(s.ref(), null, null);
        } catch (AndockException e) {
            store.clearJournal();
            Subscription failed = s.outcome(s.digest(), s.seen(), "pull failed: " + oneLine(e.getMessage()));
            store.replace(failed);
            throw e;
        }
        Digest got = pulled.target().digest();
        String state = "staged " + shortOf(got);
        Digest kept = got;
        List<ContainerView> from = s.mode() == FollowMode.RESTART
                ? notOn(s.ref(), engine.images().inspect(s.ref()).id().toString()) : List.of();
        if (s.mode() == FollowMode.RESTART && (oldImage != null || !from.isEmpty())) {
            List<Object> swaps = new ArrayList<>();
            for (ContainerView c : from) swaps.add(Map.of("id", c.id(), "name", c.name(), "running", c.state().running()));
            journal.put("phase", "swap");
            journal.put("containers", swaps);
            store.writeJournal(journal);
            String failure = null;
            for (ContainerView c : from) {
                failure = swap(c, s);
                if (failure != null) break;
            }
            if (failure != null) {
                // the failed one is back already; those swapped before it go back too (their old ones are removed only
                // once every swap succeeded)
                for (JsonObject c : JsonObject.of(Map.of("c", swaps)).objects("c")) undoSwap(c);
                engine.images().tag(oldImage != null ? oldImage : from.get(0).record().imageId(), s.ref());
                kept = s.digest();
                state = "rolled back from " + shortOf(got) + ": " + failure;
            } else {
                // from here on the new containers stay: a kill now only leaves old ones to remove (see recover)
                journal.put("phase", "keep");
                journal.put("got", got.toString());
                store.writeJournal(journal);
                for (ContainerView c : from) removeQuietly(c.id());
                state = restarted(from.size(), got);
            }
        }
        return finish(s, kept, got, state);
    }

    /** Records the outcome of an update and ends its journal. */
    private Subscription finish(Subscription s, Digest kept, Digest got, String state) {
        Subscription done = s.outcome(kept, got, state);
        store.replace(done);
        store.clearJournal();
        LOG.info(s.ref() + ": " + state);
        return done;
    }

    private static String restarted(int n, Digest got) {
        return "restarted " + n + (n == 1 ? " container" : " containers") + " on " + shortOf(got);
    }

    /** Swaps one container; null when the new one is kept, else why it was not (the old one runs again). */
    private String swap(ContainerView old, Subscription s) {
        String name = old.name();
        boolean wasRunning = old.state().running();
        engine.containers().rename(old.id(), name + PREV_SUFFIX);
        if (wasRunning) engine.containers().stop(old.id(), null);
        ContainerSpec spec = old.record().spec().toBuilder().name(name).build(); // its image is the tag, which names the new image now
        String created = null;
        String failure;
        try {
            created = engine.containers().create(spec);
            engine.containers().start(created);
            failure = watch(created, Duration.ofSeconds(s.graceSeconds()));
        } catch (AndockException e) {
            failure = oneLine(e.getMessage());
        }
        if (failure == null) return null;
        if (created != null) removeQuietly(created);
        engine.containers().rename(old.id(), name);
        if (wasRunning) engine.containers().start(old.id());
        return name + ": " + failure;
    }

    /** Null when the container keeps running (or ended with 0) and is not unhealthy for the whole grace period. */
    private String watch(String id, Duration grace) {
        long end = System.nanoTime() + grace.toNanos();
        while (true) {
            ContainerView v = engine.containers().get(id);
            if (!v.state().running() && !"created".equals(v.state().status())) {
                return v.state().exitCode() == 0 ? null : "the new container exited with " + v.state().exitCode();
            }
            if (v.health() != null && "unhealthy".equals(v.health().status())) return "the new container is unhealthy";
            if (System.nanoTime() >= end) return null;
            try {
                Thread.sleep(WATCH_STEP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AndockException(AndockException.Kind.UNAVAILABLE, "stopped while watching " + id);
            }
        }
    }

    /** Puts the old container of a half-done swap back: its name, its state; removes a new one under that name. */
    private void undoSwap(JsonObject c) {
        String oldId = c.string("id");
        String name = c.string("name");
        if (!engine.containers().exists(oldId)) return; // the swap had finished: the old one is removed only then
        ContainerView old = engine.containers().get(oldId);
        if (!old.name().equals(name)) {
            if (engine.containers().exists(name)) removeQuietly(engine.containers().resolve(name));
            engine.containers().rename(oldId, name);
        }
        if (c.bool("running") && !engine.containers().get(oldId).state().running()) engine.containers().start(oldId);
    }

    /**
     * The containers started from the tag that do not run its image {@code imageId}: those an update swaps. Chosen by
     * what they run, not by which image the tag named before, so that a tag moved meanwhile (a kill after the pull,
     * an {@code andock pull} by hand) still leaves no container behind.
     */
    private List<ContainerView> notOn(String ref, String imageId) {
        String want = Reference.parse(ref).toString();
        List<ContainerView> out = new ArrayList<>();
        for (ContainerView v : engine.containers().list(ListOptions.ALL)) {
            if (imageId.equals(v.record().imageId())) continue;
            if (v.record().spec().autoRemove()) continue; // --rm: stopping it would remove it, leaving nothing to roll back to
            if (v.name().endsWith(PREV_SUFFIX)) continue; // an old one of a swap under way
            try {
                if (Reference.parse(v.record().spec().image()).toString().equals(want)) out.add(v);
            } catch (AndockException e) {
                // made from an id or a name that is no reference: not from this tag
            }
        }
        return out;
    }

    private Optional<ImageDetails> currentImage(String ref) {
        try {
            return Optional.of(engine.images().inspect(ref));
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.NOT_FOUND) return Optional.empty();
            throw e;
        }
    }

    private void removeQuietly(String id) {
        try {
            engine.containers().remove(id, true, false);
        } catch (AndockException e) {
            LOG.warning("remove " + id + ": " + e.getMessage());
        }
    }

    static String shortOf(Digest d) {
        return d == null ? "-" : d.hex().substring(0, 12);
    }

    private static String oneLine(String s) {
        String l = s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
        return l.length() > 160 ? l.substring(0, 160) + "…" : l;
    }
}
