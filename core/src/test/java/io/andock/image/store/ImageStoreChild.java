package io.andock.image.store;

import java.nio.file.Path;

/** A second process writing records, for {@link ImageStoreTest}. */
public final class ImageStoreChild {
    public static void main(String[] args) {
        ImageStore s = new ImageStore(Path.of(args[0]));
        for (int i = 0; i < 30; i++) s.put(ImageStoreTest.record("docker.io/library/" + args[1] + i + ":latest", i));
    }
}
