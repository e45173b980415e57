package io.andock.daemon.handler;

import io.andock.daemon.backend.ContainerBackend;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Router;
import io.andock.engine.Volume;
import io.andock.engine.Volumes;

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

    private Volumes volumes() {
        return containers.volumes();
    }

    private static Map<String, Object> volume(Volume v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", v.name());
        m.put("Driver", "local");
        m.put("Mountpoint", v.mountpoint().toString());
        m.put("CreatedAt", v.createdAt() == null ? "0001-01-01T00:00:00Z" : v.createdAt().toString());
        m.put("Labels", v.labels());
        m.put("Scope", "local");
        m.put("Options", Map.of());
        return m;
    }

    void list(Exchange x) {
        List<Object> vols = new ArrayList<>();
        List<String> names = x.query().filters().getOrDefault("name", List.of());
        for (String n : volumes().list()) {
            if (names.isEmpty() || names.stream().anyMatch(n::contains)) vols.add(volume(volumes().inspect(n)));
        }
        x.json(200, Map.of("Volumes", vols, "Warnings", List.of()));
    }

    void create(Exchange x) {
        var body = x.json();
        String driver = body.string("Driver", "");
        if (!driver.isEmpty() && !driver.equals("local")) { // dockerd's plugin lookup: 404, nothing made
            String d = io.andock.container.StoreNames.printable(driver);
            throw io.andock.AndockException.notFound("error looking up volume plugin " + d + ": plugin \"" + d + "\" not found");
        }
        Volume v = volumes().create(body.string("Name", ""), body.stringMap("Labels"));
        containers.events().publish("volume", "create", v.name(), Map.of("driver", "local"));
        x.json(201, volume(v));
    }

    void inspect(Exchange x) {
        x.json(200, volume(volumes().inspect(x.param("name"))));
    }

    void remove(Exchange x) {
        volumes().remove(x.param("name"), x.query().bool("force", false));
        containers.events().publish("volume", "destroy", x.param("name"), Map.of("driver", "local"));
        x.status(204);
    }

    /** Anonymous volumes no container uses (with {@code all=true}, named ones too), as dockerd 23+. */
    void prune(Exchange x) {
        boolean all = x.query().filters().getOrDefault("all", List.of()).stream().anyMatch(v -> v.equals("true") || v.equals("1"));
        List<String> deleted = volumes().prune(all);
        long reclaimed = 0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("VolumesDeleted", deleted);
        m.put("SpaceReclaimed", reclaimed);
        x.json(200, m);
    }
}
