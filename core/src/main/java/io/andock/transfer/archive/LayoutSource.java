package io.andock.transfer.archive;

import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.transfer.ImageCopier;
import io.andock.transfer.ImageSource;
import io.andock.transfer.RawManifest;

import java.io.InputStream;

/**
 * An image in an OCI layout ({@code blobs/<alg>/<hex>}), in a directory or a tar: the top manifest is given as a
 * descriptor (from index.json), or as bytes when it was synthesised (an old docker-archive); blobs are read by
 * digest, or from the path an old docker-archive names them by.
 */
final class LayoutSource implements ImageSource {
    private final ArchiveFiles files;
    private final String describe;
    private final Descriptor top;
    private final RawManifest synthesised;
    private final java.util.Map<Digest, String> paths;

    LayoutSource(ArchiveFiles files, String describe, Descriptor top) {
        this(files, describe, top, null, java.util.Map.of());
    }

    LayoutSource(ArchiveFiles files, String describe, Descriptor top, RawManifest synthesised, java.util.Map<Digest, String> paths) {
        this.files = files;
        this.describe = describe;
        this.top = top;
        this.synthesised = synthesised;
        this.paths = paths;
    }

    static String blobName(Digest d) {
        return "blobs/" + d.algorithm() + "/" + d.hex();
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public RawManifest manifest(Digest digest) {
        if (digest == null && synthesised != null) return synthesised;
        Digest d = digest == null ? top.digest() : digest;
        byte[] bytes = files.read(path(d), 4 << 20);
        String mt = digest == null && top.mediaType() != null ? top.mediaType() : ImageCopier.sniffMediaType(bytes);
        return RawManifest.of(bytes, mt);
    }

    private String path(Digest d) {
        return paths.getOrDefault(d, blobName(d));
    }

    @Override
    public InputStream blob(Descriptor blob, long offset) {
        return files.open(path(blob.digest()), offset);
    }
}
