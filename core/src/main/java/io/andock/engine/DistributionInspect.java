package io.andock.engine;

import io.andock.image.Descriptor;
import io.andock.image.ImageConfig;
import io.andock.image.ImageIndex;
import io.andock.image.Manifest;
import io.andock.image.Platform;
import io.andock.image.Reference;
import io.andock.registry.RegistryClient;
import io.andock.transfer.RawManifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /distribution/{name}/json}: what a registry holds under a reference, without pulling it: the
 * descriptor of its top manifest and the platforms it offers (an index's entries, or a single manifest's config
 * platform, read from the config blob as dockerd does).
 */
public final class DistributionInspect {
    /** Config blobs are small; a bigger one is not read. */
    private static final int MAX_CONFIG_BYTES = 4 << 20;

    public record Info(Descriptor descriptor, List<Platform> platforms) {
        public Info {
            platforms = List.copyOf(platforms);
        }
    }

    private DistributionInspect() {}

    static Info of(RegistryClient registry, Reference ref) {
        RawManifest raw = registry.manifest(ref);
        Descriptor top = raw.descriptor();
        List<Platform> platforms = new ArrayList<>();
        if (ImageIndex.isIndex(raw.bytes(), raw.mediaType())) {
            for (Descriptor d : ImageIndex.parse(raw.bytes(), raw.mediaType()).manifests()) {
                if (d.platform() != null && !"unknown".equals(d.platform().os())) platforms.add(d.platform());
            }
        } else {
            Descriptor config = Manifest.parse(raw.bytes(), raw.mediaType()).config();
            if (config.size() <= MAX_CONFIG_BYTES) {
                try (InputStream in = registry.blob(ref, config, 0)) {
                    platforms.add(ImageConfig.parse(in.readNBytes(MAX_CONFIG_BYTES)).platform());
                } catch (IOException e) {
                    throw io.andock.AndockException.wrap("read config of " + ref.familiar(), e);
                }
            }
        }
        return new Info(top, platforms);
    }
}
