package io.andock.transfer;

import io.andock.image.ImageConfig;
import io.andock.image.Manifest;

/**
 * What a copy stored.
 *
 * @param top      the manifest or index the source was opened on
 * @param selected the platform manifest copied (equal to {@code top} for a plain manifest; for a copy of all
 *                 platforms, the one that fits the requested platform, or the first)
 * @param manifest {@code selected}, parsed
 * @param config   its config
 */
public record CopyResult(RawManifest top, RawManifest selected, Manifest manifest, ImageConfig config) {
}
