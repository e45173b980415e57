package io.andock.engine;

import io.andock.content.BlobReader;
import io.andock.image.Digest;
import io.andock.image.ImageConfig;
import io.andock.image.Manifest;
import io.andock.image.store.ImageRecord;

/** An image record with its manifest and config read from content. {@code id()} is the config digest. */
record LocalImage(ImageRecord record, Manifest manifest, ImageConfig config) {

    static LocalImage read(BlobReader content, ImageRecord r) {
        Manifest m = Manifest.parse(content.readAll(r.manifest().digest()), r.manifest().mediaType());
        ImageConfig c = ImageConfig.parse(content.readAll(m.config().digest()));
        return new LocalImage(r, m, c);
    }

    Digest id() {
        return manifest.config().digest();
    }

    long size() {
        long s = 0;
        for (var l : manifest.layers()) s += l.size();
        return s;
    }
}
