package io.andock.follow;

import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One followed tag and what the device made of it so far.
 *
 * @param ref          the tag, normalized ({@code hub.lan:5000/team/app:stable})
 * @param graceSeconds with {@link FollowMode#RESTART}: how long a new container must keep running (and not turn
 *                     unhealthy) to be kept
 * @param digest       the manifest the device holds under the tag (staged or running), null: none yet
 * @param seen         the latest digest the device acted on: applied, or refused and rolled back; null: none
 * @param state        the last outcome in words, as the hub shows it
 * @param at           when that outcome was reached (ISO-8601), or null
 */
public record Subscription(String ref, FollowMode mode, int graceSeconds, Digest digest, Digest seen, String state, String at) {

    public static final int DEFAULT_GRACE_SECONDS = 10;

    public Reference reference() {
        return Reference.parse(ref);
    }

    /** The registry ({@code host:port}) the tag lives on: the hub this subscription polls. */
    public String hub() {
        return reference().domain();
    }

    /** {@code repository:tag} as the hub names it. */
    public String hubRef() {
        Reference r = reference();
        return r.repository() + ":" + r.tag();
    }

    public Subscription outcome(Digest newDigest, Digest newSeen, String newState) {
        return new Subscription(ref, mode, graceSeconds, newDigest, newSeen, newState, io.andock.Timestamps.format(java.time.Instant.now()));
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ref", ref);
        m.put("update", mode.word());
        m.put("grace_seconds", graceSeconds);
        m.put("digest", digest == null ? null : digest.toString());
        m.put("seen", seen == null ? null : seen.toString());
        m.put("state", state);
        m.put("at", at);
        return m;
    }

    static Subscription fromJson(JsonObject o) {
        String d = o.string("digest", null);
        String s = o.string("seen", null);
        return new Subscription(o.string("ref"), FollowMode.parse(o.string("update", "stage")), (int) o.number("grace_seconds", DEFAULT_GRACE_SECONDS),
                d == null ? null : Digest.parse(d), s == null ? null : Digest.parse(s), o.string("state", ""), o.string("at", null));
    }
}
