package io.andock.engine;

import java.util.Objects;

/**
 * One thing {@code rmi} or {@code image prune} did, as Docker's {@code ImageDeleteResponseItem}: a name untagged or
 * an image deleted. {@link #toString()} is the line docker prints ({@code Untagged: busybox:latest}).
 *
 * @param untagged true for an untag (the value is a familiar reference), false for a deletion (an image ID)
 * @param value    the reference untagged or the image ID deleted
 */
public record ImageDeletion(boolean untagged, String value) {
    public ImageDeletion {
        Objects.requireNonNull(value, "value");
    }

    public static ImageDeletion untagged(String reference) {
        return new ImageDeletion(true, reference);
    }

    public static ImageDeletion deleted(String imageId) {
        return new ImageDeletion(false, imageId);
    }

    /** Docker's key for this item in the API's answer: {@code Untagged} or {@code Deleted}. */
    public String key() {
        return untagged ? "Untagged" : "Deleted";
    }

    @Override
    public String toString() {
        return key() + ": " + value;
    }
}
