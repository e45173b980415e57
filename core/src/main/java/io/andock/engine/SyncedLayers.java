package io.andock.engine;

import io.andock.AndockException;
import io.andock.content.ContentStore;
import io.andock.content.VerifyingInputStream;
import io.andock.image.Descriptor;
import io.andock.image.Reference;
import io.andock.image.store.ImageRecord;
import io.andock.registry.RegistryClient;
import io.andock.transfer.StoreDestination;

/**
 * An image pulled through andock hub sync holds its layers as a snapshot, not as compressed blobs (see
 * {@link SyncPull}). Before {@code push} or {@code save} reads them, the blobs the store lacks are fetched from the
 * registry the image came from, verified against the manifest like any pulled blob.
 */
final class SyncedLayers {
    private SyncedLayers() {
    }

    static void fetchMissing(LocalImage img, ContentStore content, RegistryClient client) {
        ImageRecord r = img.record();
        Reference from = null;
        for (Descriptor layer : img.manifest().layers()) {
            if (content.exists(layer.digest())) continue;
            if (from == null) {
                if (r.dangling() || !"registry".equals(r.labels().get(ImageRecord.SOURCE))) {
                    throw AndockException.notFound("layer " + layer.digest() + " is not stored here");
                }
                from = Reference.parse(r.name());
            }
            Reference src = from;
            try {
                new StoreDestination(content).putBlob(layer, (off, st) -> new VerifyingInputStream(client.blob(src, layer, off), layer, off,
                        st == null ? layer.digest().newDigester() : st));
            } catch (AndockException e) {
                throw e.withContext("layer " + layer.digest().shortHex() + " (synced, not stored) from " + src.familiar());
            }
        }
    }
}
