package io.andock.container;



/**
 * Where the runtime gets images. Implemented by the engine over its image store; the pull-if-missing policy lives
 * there, not here. Must be safe to call from several threads and processes.
 */
public interface ImageResolver {

    /**
     * The image {@code ref} (a name, tag, digest or image id) for {@code platform} (null: the host's, or the only
     * one present). Throws {@code AndockException} of kind NOT_FOUND when it is not there.
     */
    ResolvedImage resolve(String ref, io.andock.image.Platform platform);

    /** Looks an image up by id again (the container records its id), or returns null when it was removed. */
    default ResolvedImage byId(io.andock.image.Digest imageId) {
        try {
            return resolve(imageId.toString(), null);
        } catch (io.andock.AndockException e) {
            return null;
        }
    }
}
