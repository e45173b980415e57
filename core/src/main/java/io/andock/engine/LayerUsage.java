package io.andock.engine;

import io.andock.image.Digest;

import java.util.Map;

/**
 * How the images' layers share the store ({@code system df}): each distinct layer counted once in
 * {@code layersSize}, and per image (by ID) the bytes of its layers that another image holds too, Docker's
 * {@code SharedSize} (its unique size is its size minus that). Sizes are the stored (compressed) blobs, as
 * {@code images} shows them.
 *
 * @param sharedSize per image ID, the size of its layers other images share
 * @param layersSize the size of every distinct layer, once
 */
public record LayerUsage(Map<Digest, Long> sharedSize, long layersSize) {
    public LayerUsage {
        sharedSize = Map.copyOf(sharedSize);
    }
}
