package io.andock.engine;

import io.andock.image.Digest;

import java.util.Objects;

/**
 * One image {@code load} stored: by the name the archive gave it, or by ID when it gave none.
 * {@link #toString()} is the line docker prints ({@code Loaded image: busybox:latest}, {@code Loaded image ID: sha256:…}).
 *
 * @param name the familiar reference it was loaded as; null when the archive named it by ID only
 * @param id   the image ID
 */
public record LoadedImage(String name, Digest id) {
    public LoadedImage {
        Objects.requireNonNull(id, "id");
    }

    /** What the image is known by afterwards: its name, else its ID. */
    public String reference() {
        return name != null ? name : id.toString();
    }

    @Override
    public String toString() {
        return name != null ? "Loaded image: " + name : "Loaded image ID: " + id;
    }
}
