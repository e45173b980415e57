package io.andock.transfer;

import io.andock.image.ImageConfig;
import io.andock.image.Manifest;
import io.andock.image.Platform;

import java.util.function.BiConsumer;

/**
 * How to copy.
 *
 * @param platform     which manifest of an index to copy (default: the host's); ignored when {@code allPlatforms}
 * @param allPlatforms copy an index with every manifest it lists
 * @param concurrency  layers fetched at once (Docker's max-concurrent-downloads, default 3)
 * @param listener     progress
 * @param onConfig     called once the config of the selected image is stored and before its layers are, e.g. to
 *                     start unpacking while layers download; may be null
 */
public record CopyOptions(Platform platform, boolean allPlatforms, int concurrency, TransferListener listener,
                          BiConsumer<Manifest, ImageConfig> onConfig) {

    public CopyOptions {
        if (platform == null) platform = Platform.host();
        if (concurrency < 1) concurrency = 3;
        if (listener == null) listener = TransferListener.NONE;
    }

    public static CopyOptions defaults() {
        return new CopyOptions(null, false, 3, null, null);
    }

    public CopyOptions withListener(TransferListener l) {
        return new CopyOptions(platform, allPlatforms, concurrency, l, onConfig);
    }

    public CopyOptions withPlatform(Platform p) {
        return new CopyOptions(p, allPlatforms, concurrency, listener, onConfig);
    }

    public CopyOptions withOnConfig(BiConsumer<Manifest, ImageConfig> c) {
        return new CopyOptions(platform, allPlatforms, concurrency, listener, c);
    }
}
