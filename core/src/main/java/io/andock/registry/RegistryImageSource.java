package io.andock.registry;

import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.Reference;
import io.andock.transfer.ImageSource;
import io.andock.transfer.RawManifest;

import java.io.InputStream;

/**
 * A registry as an {@link ImageSource} for one reference. The top manifest is resolved once and kept, so a tag
 * moved during a pull does not mix two images; children of an index are fetched by digest and checked against it.
 * Blobs come with offset and resume ({@link RegistryClient#blob}). Thread-safe.
 */
public final class RegistryImageSource implements ImageSource {
    private final RegistryClient client;
    private final Reference ref;
    private volatile RawManifest top;

    public RegistryImageSource(RegistryClient client, Reference ref) {
        this.client = client;
        this.ref = ref;
    }

    public Reference reference() {
        return ref;
    }

    @Override
    public String describe() {
        return ref.familiar();
    }

    @Override
    public RawManifest manifest(Digest digest) {
        if (digest != null) {
            RawManifest t = top;
            if (t != null && t.digest().equals(digest)) return t;
            return client.manifest(ref, digest);
        }
        RawManifest t = top;
        if (t == null) {
            synchronized (this) {
                if (top == null) top = client.manifest(ref);
                t = top;
            }
        }
        return t;
    }

    @Override
    public InputStream blob(Descriptor blob, long offset) {
        return client.blob(ref, blob, offset);
    }
}
