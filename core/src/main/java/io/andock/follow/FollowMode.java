package io.andock.follow;

import io.andock.AndockException;

import java.util.Locale;

/** What a device does when a followed tag moves. */
public enum FollowMode {
    /** Only note that a new version exists (reported to the hub). */
    NONE,
    /** Pull it, so that the next run or restart uses it at once. */
    STAGE,
    /** Pull it and recreate the containers started from the tag, rolling back a version that fails. */
    RESTART;

    public static FollowMode parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw AndockException.invalid("--update must be none, stage or restart, not " + s);
        }
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
