package io.andock.transfer;

import io.andock.AndockException;
import io.andock.content.BlobReader;
import io.andock.image.Descriptor;
import io.andock.image.Digest;

import java.io.IOException;
import java.io.InputStream;

/** The local content store as a source: an image record's target (or any manifest) and the blobs it names. */
public final class StoreSource implements ImageSource {
    private final BlobReader content;
    private final Descriptor target;
    private final String name;

    public StoreSource(BlobReader content, Descriptor target, String name) {
        this.content = content;
        this.target = target;
        this.name = name;
    }

    @Override
    public String describe() {
        return "local image " + name;
    }

    @Override
    public RawManifest manifest(Digest digest) {
        Digest d = digest == null ? target.digest() : digest;
        byte[] bytes = content.readAll(d);
        String mt = digest == null && target.mediaType() != null ? target.mediaType() : ImageCopier.sniffMediaType(bytes);
        return RawManifest.of(bytes, mt);
    }

    @Override
    public InputStream blob(Descriptor blob, long offset) {
        InputStream in = content.open(blob.digest());
        try {
            in.skipNBytes(offset);
            return in;
        } catch (IOException e) {
            throw AndockException.wrap("read blob " + blob.digest(), e);
        }
    }
}
