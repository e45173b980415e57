package io.andock.builder;

import io.andock.image.Digest;

import java.util.List;

/** A finished build: the image ID (config digest) and the names it got. */
public record BuildResult(Digest imageId, List<String> tags) {
    public BuildResult {
        tags = List.copyOf(tags);
    }
}
