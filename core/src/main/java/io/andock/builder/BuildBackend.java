package io.andock.builder;

import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Platform;
import io.andock.json.JsonObject;
import io.andock.driver.Driver;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the {@link Builder} needs from the engine: images in and out, unpacked chains, blob storage, and the
 * execution driver for RUN steps. Implemented by the engine; a test may fake it.
 *
 * <p>All methods may be called from the build's one thread only. The builder holds {@link #lease()} for the whole
 * build, so blobs it stored are not collected before {@link #commit} names them.
 */
public interface BuildBackend {

    /** A layer of an image: its stored blob and the sha256 of its uncompressed tar. */
    record Layer(Descriptor blob, Digest diffId) {
    }

    /** A local image: its name, ID (config digest), config and layers, base first. */
    record Image(String name, Digest id, JsonObject config, List<Layer> layers) {
        public Image {
            layers = List.copyOf(layers);
        }
    }

    /** The local image {@code ref} for {@code platform}, pulled first when missing; pull progress to {@code progress}. */
    Image image(String ref, Platform platform, Consumer<String> progress);

    /** A local image by name or ID, never pulled ({@code --cache-from}); empty when there is none. */
    default java.util.Optional<Image> localImage(String ref) {
        return java.util.Optional.empty();
    }

    /** The read-only unpacked rootfs of {@code chain} (not empty), unpacking it first when needed. */
    Path unpack(List<Layer> chain);

    /** Stores the compressed layer blob {@code file} (moved or copied; the caller deletes it after). */
    Descriptor storeBlob(Path file, String mediaType);

    /** Whether the content store holds {@code digest}. */
    boolean hasBlob(Digest digest);

    /**
     * Writes {@code config} and an OCI manifest over {@code layers}, names the image with every tag in
     * {@code tags} (none: a dangling image), unpacks it so containers start at once; returns the image ID.
     */
    Digest commit(JsonObject config, List<Layer> layers, List<String> tags);

    /**
     * As {@link #commit(JsonObject, List, List)}, remembering {@code parent} (an image ID; null: none) as the image's
     * {@code Parent}, which Docker shows for an image made locally from another ({@code docker commit}).
     */
    default Digest commit(JsonObject config, List<Layer> layers, List<String> tags, Digest parent) {
        return commit(config, layers, tags);
    }

    /** The driver for RUN steps: {@code name} (null: the engine's default) able to run {@code platform}. */
    Driver driver(String name, Platform platform);

    /** A lease keeping fresh blobs from garbage collection; closed at the end of the build. */
    AutoCloseable lease();

    /** A directory for the build's scratch files (working root filesystems, blobs being written). */
    Path workDir();

    /** The directory of the build cache. */
    Path cacheDir();
}
