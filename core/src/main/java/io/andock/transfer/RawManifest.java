package io.andock.transfer;

import io.andock.image.Descriptor;
import io.andock.image.Digest;

/**
 * A manifest or index exactly as it was stored or served: its digest is over these bytes, so they are never
 * re-serialised on the way from one place to another.
 */
public record RawManifest(byte[] bytes, String mediaType, Digest digest) {

    public static RawManifest of(byte[] bytes, String mediaType) {
        return new RawManifest(bytes, mediaType, Digest.sha256(bytes));
    }

    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, bytes.length);
    }
}
