package io.andock.daemon.handler;

import io.andock.AndockException;
import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Router;
import io.andock.container.ContainerStore;
import io.andock.container.VolumeStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /volumes}: local volumes in {@code <root>/volumes}. */
public final class VolumeHandler {
    private final ContainerBackend containers;

    public VolumeHandler(ContainerBackend containers) {
        this.containers = containers;
    }

    public void register(Router r) {
        r.get("/volumes", this::list)
                .post("/volumes/create", this::create)
                .post("/volumes/prune", this::prune)
                .get("/volumes/{name}", this::inspect)
                .delete("/volumes/{name}", this::remove);
    }

    private VolumeStore store() {
        return containers.volumes();
    }

    private Map<String, Object> volume(String name) {
        Path data = store().dataDir(name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Driver", "local");
        m.put("Mountpoint", data.toString());
        String created = "0001-01-01T00:00:00Z";
        try {
            created = Files.getLastModifiedTime(data.getParent()).toInstant().toString();
        } catch (java.io.IOException ignored) {
            // unknown
        }
        m.put("CreatedAt", created);
        m.put("Labels", Map.of());
        m.put("Scope", "local");
        m.put("Options", Map.of());
        return m;
    }

    void list(Exchange x) {
        List<Object> vols = new ArrayList<>();
        List<String> names = x.query().filters().getOrDefault("name", List.of());
        for (String n : store().list()) {
            if (names.isEmpty() || names.stream().anyMatch(n::contains)) vols.add(volume(n));
        }
        x.json(200, Map.of("Volumes", vols, "Warnings", List.of()));
    }

    void create(Exchange x) {
        String name = x.json().string("Name", "");
        if (name.isEmpty()) name = ContainerStore.newId();
        store().create(name);
        containers.events().publish("volume", "create", name, Map.of("driver", "local"));
        x.json(201, volume(name));
    }

    void inspect(Exchange x) {
        String name = x.param("name");
        store().get(name);
        x.json(200, volume(name));
    }

    void remove(Exchange x) {
        store().remove(x.param("name"), x.query().bool("force", false));
        containers.events().publish("volume", "destroy", x.param("name"), Map.of("driver", "local"));
        x.status(204);
    }

    /** Anonymous volumes no container uses (with {@code all=true}, named ones too), as dockerd 23+. */
    void prune(Exchange x) {
        boolean all = x.query().filters().getOrDefault("all", List.of()).stream().anyMatch(v -> v.equals("true") || v.equals("1"));
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (String n : store().list()) {
            if (!all && n.length() != 64) continue;
            try {
                store().remove(n, false);
                deleted.add(n);
            } catch (AndockException ignored) {
                // in use
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("VolumesDeleted", deleted);
        m.put("SpaceReclaimed", reclaimed);
        x.json(200, m);
    }
}
