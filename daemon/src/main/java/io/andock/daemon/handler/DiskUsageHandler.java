package io.andock.daemon.handler;

import io.andock.AndockException;
import io.andock.container.ContainerView;
import io.andock.container.ListOptions;
import io.andock.container.MountSpec;
import io.andock.daemon.backend.ContainerAdminBackend;
import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.backend.ImageBackend;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Router;
import io.andock.daemon.wire.ContainerWire;
import io.andock.daemon.wire.ImageWire;
import io.andock.engine.DistributionInspect;
import io.andock.engine.LayerUsage;
import io.andock.image.Digest;
import io.andock.engine.PruneReport;
import io.andock.image.Platform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the space goes and how it comes back: {@code GET /system/df}, {@code POST /containers/prune} (with the
 * bytes the removed containers wrote), {@code POST /build/prune}; and {@code GET /distribution/{name}/json}, a
 * registry's answer about an image without pulling it.
 */
public final class DiskUsageHandler {
    private final ImageBackend images;
    private final ContainerBackend containers;
    private final ContainerAdminBackend admin;

    public DiskUsageHandler(ImageBackend images, ContainerBackend containers, ContainerAdminBackend admin) {
        this.images = images;
        this.containers = containers;
        this.admin = admin;
    }

    public void register(Router r) {
        r.get("/system/df", this::df)
                .post("/containers/prune", this::pruneContainers)
                .post("/build/prune", this::pruneBuildCache)
                .get("/distribution/{name*}/json", this::distribution);
    }

    void df(Exchange x) {
        Set<String> types = new HashSet<>(x.query().all("type"));
        boolean all = types.isEmpty();
        Map<String, Object> m = new LinkedHashMap<>();
        List<ContainerView> views = containers.list(ListOptions.ALL);
        if (all || types.contains("image")) {
            Map<String, Integer> counts = new HashMap<>();
            images.containerCounts().forEach((d, n) -> counts.put(d.toString(), n));
            List<Map<String, Object>> imgs = ImageWire.list(images, counts);
            LayerUsage usage = images.layerUsage();
            for (Map<String, Object> i : imgs) {
                i.put("SharedSize", usage.sharedSize().getOrDefault(Digest.parse(String.valueOf(i.get("Id"))), 0L));
            }
            m.put("LayersSize", usage.layersSize());
            m.put("Images", imgs);
        }
        if (all || types.contains("container")) {
            Map<String, Long> imageSizes = new HashMap<>();
            for (var s : images.list()) imageSizes.put(s.id().toString(), s.size());
            List<Object> out = new ArrayList<>();
            Instant now = Instant.now();
            for (ContainerView v : views) {
                Map<String, Object> c = ContainerWire.listItem(v, now);
                long rw = sizeRw(v.id());
                c.put("SizeRw", rw);
                c.put("SizeRootFs", rw + imageSizes.getOrDefault(v.record().imageId(), 0L));
                out.add(c);
            }
            m.put("Containers", out);
        }
        if (all || types.contains("volume")) m.put("Volumes", volumes(views));
        if (all || types.contains("build-cache")) {
            m.put("BuildCache", List.of());
            m.put("BuilderSize", 0);
        }
        x.json(200, m);
    }

    private long sizeRw(String id) {
        try {
            return admin.sizeRw(id);
        } catch (AndockException e) {
            return 0; // removed meanwhile, or its image's snapshot gone: no size rather than no listing
        }
    }

    private List<Object> volumes(List<ContainerView> views) {
        Map<String, Integer> refs = new HashMap<>();
        for (ContainerView v : views) {
            for (MountSpec mount : v.record().mounts()) {
                if (mount.type().equals(MountSpec.VOLUME) && mount.source() != null) refs.merge(mount.source(), 1, Integer::sum);
            }
        }
        List<Object> out = new ArrayList<>();
        for (String name : containers.volumes().list()) {
            Map<String, Object> vol = new LinkedHashMap<>();
            vol.put("CreatedAt", "");
            vol.put("Driver", "local");
            vol.put("Labels", Map.of());
            vol.put("Mountpoint", containers.volumes().inspect(name).mountpoint().toString());
            vol.put("Name", name);
            vol.put("Options", Map.of());
            vol.put("Scope", "local");
            vol.put("UsageData", Map.of("RefCount", refs.getOrDefault(name, 0),
                    "Size", containers.volumes().sizeBytes(name)));
            out.add(vol);
        }
        return out;
    }

    /** Docker's SpaceReclaimed: what the removed containers had written (measured before they go). */
    void pruneContainers(Exchange x) {
        Map<String, Long> sizes = new HashMap<>();
        for (ContainerView v : containers.list(ListOptions.ALL)) {
            if (!v.state().running()) sizes.put(v.id(), sizeRw(v.id()));
        }
        List<String> ids = containers.prune();
        long reclaimed = 0;
        for (String id : ids) reclaimed += sizes.getOrDefault(id, 0L);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ContainersDeleted", ids.isEmpty() ? null : ids);
        m.put("SpaceReclaimed", reclaimed);
        x.json(200, m);
    }

    void pruneBuildCache(Exchange x) {
        PruneReport r = images.pruneBuildCache();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CachesDeleted", r.deleted().isEmpty() ? null : r.deleted());
        m.put("SpaceReclaimed", r.reclaimedBytes());
        x.json(200, m);
    }

    void distribution(Exchange x) {
        DistributionInspect.Info info = admin.distribution(x.param("name"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", info.descriptor().mediaType());
        d.put("digest", info.descriptor().digest().toString());
        d.put("size", info.descriptor().size());
        List<Object> platforms = new ArrayList<>();
        for (Platform p : info.platforms()) platforms.add(p.toJson());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Descriptor", d);
        m.put("Platforms", platforms);
        x.json(200, m);
    }
}
