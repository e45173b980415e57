package io.andock.engine;

import io.andock.image.Digest;

/**
 * One row of {@code images}: one per name, like Docker.
 *
 * @param repository familiar repository ({@code busybox}), or {@code <none>}
 * @param tag        tag, or {@code <none>}
 * @param digest     the target's digest when pulled from a registry (Docker's DIGEST column), else null
 * @param id         image ID: the config digest
 * @param created    the config's creation time, or null when it has none
 * @param size       sum of the layer blob sizes
 */
public record ImageSummary(String repository, String tag, Digest digest, Digest id, java.time.Instant created, long size) {
}
