package io.andock.daemon.backend;

import io.andock.engine.ImageDetails;
import io.andock.engine.ImageSummary;
import io.andock.transfer.TransferListener;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * What the image endpoints need from the engine: the port handler tests fake, implemented over the engine's
 * {@link io.andock.engine.Images} and {@link io.andock.engine.Transfers} façades. Names are as the client sent them (familiar or fully qualified);
 * errors are {@link io.andock.AndockException}s with their kind.
 */
public interface ImageBackend {
    void pull(String ref, String platform, TransferListener progress);

    /** One row per name, as {@code Engine.images()}. */
    List<ImageSummary> list();

    ImageDetails inspect(String ref);

    /** {@code docker history}: the image's steps, newest first. */
    default List<io.andock.engine.ImageHistory.Step> history(String ref) {
        throw new io.andock.AndockException(io.andock.AndockException.Kind.UNSUPPORTED, "image history is not available");
    }

    void tag(String source, String target);

    /** What was untagged and deleted, in order. */
    List<io.andock.engine.ImageDeletion> remove(String ref, boolean force);

    void save(List<String> refs, OutputStream out);

    /** The images loaded, in the archive's order. */
    List<io.andock.engine.LoadedImage> load(InputStream tar, TransferListener progress);

    /** Imports a rootfs tarball; returns the image id. */
    String importRootfs(InputStream tar, String ref);

    /** {@code POST /images/create?fromSrc=-&changes=…&message=…}: the changes (Dockerfile instructions) on its config. */
    default String importRootfs(InputStream tar, String ref, java.util.List<String> changes, String message) {
        if (!changes.isEmpty()) throw new io.andock.AndockException(io.andock.AndockException.Kind.UNSUPPORTED, "import changes");
        return importRootfs(tar, ref);
    }

    void push(String ref, TransferListener progress);

    void login(String server, String user, String password);

    /**
     * Builds an image with the classic builder ({@code Engine.build}): progress and RUN output go to
     * {@code progress} as text lines; the context directory is the caller's and is only read. Once {@code cancelled} (the client went away) the
     * build ends, its RUN container killed.
     */
    io.andock.builder.BuildResult build(io.andock.builder.BuildRequest request, OutputStream progress,
                                      java.util.function.BooleanSupplier cancelled);

    /**
     * {@code image prune}: dangling images, or with {@code all} every image; never one a container uses nor one
     * {@code keep} holds. What was untagged and deleted, and bytes reclaimed.
     */
    io.andock.engine.PruneReport prune(boolean all, java.util.function.Predicate<io.andock.image.Digest> keep);

    /** How many containers (any state) use each image, by image ID. */
    java.util.Map<io.andock.image.Digest, Integer> containerCounts();

    /** How the images share layers ({@code system df}'s SharedSize and LayersSize). */
    default io.andock.engine.LayerUsage layerUsage() {
        return new io.andock.engine.LayerUsage(java.util.Map.of(), 0);
    }

    /** {@code docker builder prune}: the build cache's entries removed, and the bytes collected after. */
    default io.andock.engine.PruneReport pruneBuildCache() {
        return new io.andock.engine.PruneReport(List.of(), 0, 0, 0);
    }

    /** Runs garbage collection; returns the bytes reclaimed. */
    long collectGarbage();
}
