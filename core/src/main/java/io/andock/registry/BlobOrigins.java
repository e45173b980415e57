package io.andock.registry;

import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.transfer.ImageSource;

import java.util.List;

/**
 * Where a blob is known to live already: the repositories it was pulled from or pushed to. A push to the same
 * registry tries a cross-repository mount from them before uploading (Docker keeps this as "v2 metadata",
 * containerd as {@code containerd.io/distribution.source.<registry>} labels on the content).
 */
@FunctionalInterface
public interface BlobOrigins {

    /** Repositories (domain and repository; tag and digest are ignored) that hold {@code digest}, best first. */
    List<Reference> find(Digest digest);

    BlobOrigins NONE = d -> List.of();

    /** Every blob is in {@code repository}. */
    static BlobOrigins repository(Reference repository) {
        return d -> List.of(repository);
    }

    /** For a copy from a registry: its blobs are in the source's repository; nothing is known of other sources. */
    static BlobOrigins of(ImageSource source) {
        return source instanceof RegistryImageSource r ? repository(r.reference()) : NONE;
    }
}
