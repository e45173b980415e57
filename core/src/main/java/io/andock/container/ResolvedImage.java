package io.andock.container;

import io.andock.image.Digest;
import io.andock.image.ImageConfig;

import java.nio.file.Path;

/**
 * An image ready to run: its name as the user gave it, its id (config digest), its config, and its unpacked
 * snapshot rootfs, which the runtime never writes to (an overlay lower dir, or the source of a private copy).
 */
public record ResolvedImage(String name, Digest imageId, ImageConfig config, Path rootfs) {
}
