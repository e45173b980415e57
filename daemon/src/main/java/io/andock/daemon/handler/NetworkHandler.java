package io.andock.daemon.handler;

import io.andock.AndockException;
import io.andock.daemon.backend.UserNetworks;
import io.andock.daemon.http.ApiException;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Router;
import io.andock.daemon.wire.NetworkWire;
import io.andock.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /networks}: the fixed host, none and bridge networks ({@link NetworkWire}), plus user-defined networks
 * that are names only ({@link UserNetworks}: recorded, inspectable, removable; their containers are on the
 * default network, the host's).
 */
public final class NetworkHandler {
    private final UserNetworks user;

    public NetworkHandler(UserNetworks user) {
        this.user = user;
    }

    public void register(Router r) {
        r.get("/networks", this::list)
                .post("/networks/create", this::create)
                .post("/networks/prune", this::prune)
                .get("/networks/{id}", this::inspect)
                .delete("/networks/{id}", this::remove)
                .post("/networks/{id}/connect", this::connectOrDisconnect)
                .post("/networks/{id}/disconnect", this::connectOrDisconnect);
    }

    void create(Exchange x) {
        JsonObject b = x.json();
        String name = b.string("Name", "");
        if (name.isEmpty()) throw ApiException.badRequest("network name is required");
        if (NetworkWire.find(name) != null || user.find(name) != null) {
            throw AndockException.conflict("network with name " + name + " already exists");
        }
        String driver = b.string("Driver", "bridge");
        if (driver.isEmpty()) driver = "bridge";
        if (!driver.equals("bridge")) {
            throw ApiException.notImplemented("andock's user-defined networks are names for the host network; driver " + driver + " is not supported");
        }
        Map<String, Object> n = new LinkedHashMap<>(NetworkWire.network(name));
        n.put("Id", NetworkWire.id("user/" + name + "/" + Instant.now()));
        n.put("Created", Instant.now().toString());
        n.put("Driver", driver);
        n.put("Internal", b.bool("Internal"));
        n.put("Attachable", b.bool("Attachable"));
        n.put("EnableIPv6", b.bool("EnableIPv6"));
        JsonObject ipam = b.object("IPAM");
        Map<String, Object> ipamOut = new LinkedHashMap<>();
        ipamOut.put("Driver", ipam.string("Driver", "default"));
        ipamOut.put("Options", ipam.stringMap("Options"));
        ipamOut.put("Config", ipam.list("Config") == null ? List.of() : ipam.list("Config"));
        n.put("IPAM", ipamOut);
        n.put("Options", b.stringMap("Options"));
        n.put("Labels", b.stringMap("Labels"));
        user.add(n);
        x.json(201, Map.of("Id", n.get("Id"), "Warning", ""));
    }

    void list(Exchange x) {
        Map<String, List<String>> f = x.query().filters();
        List<Object> out = new ArrayList<>();
        for (String n : NetworkWire.NAMES) {
            Map<String, Object> m = NetworkWire.network(n);
            if (matches(m, f)) out.add(m);
        }
        for (Map<String, Object> m : user.all()) if (matches(m, f)) out.add(m);
        x.json(200, out);
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Map<String, Object> n, Map<String, List<String>> f) {
        for (String name : f.getOrDefault("name", List.of())) if (!((String) n.get("Name")).contains(name)) return false;
        for (String id : f.getOrDefault("id", List.of())) if (!((String) n.get("Id")).startsWith(id)) return false;
        for (String d : f.getOrDefault("driver", List.of())) if (!d.equals(n.get("Driver"))) return false;
        Map<String, String> labels = (Map<String, String>) n.getOrDefault("Labels", Map.of());
        for (String l : f.getOrDefault("label", List.of())) {
            int eq = l.indexOf('=');
            if (eq < 0 ? !labels.containsKey(l) : !l.substring(eq + 1).equals(labels.get(l.substring(0, eq)))) return false;
        }
        List<String> type = f.getOrDefault("type", List.of());
        boolean builtin = NetworkWire.NAMES.contains((String) n.get("Name"));
        if (!type.isEmpty() && !type.contains(builtin ? "builtin" : "custom")) return false;
        return true;
    }

    private Map<String, Object> find(String ref) {
        Map<String, Object> n = NetworkWire.find(ref);
        if (n == null) n = user.find(ref);
        if (n == null) throw AndockException.notFound("network " + ref + " not found");
        return n;
    }

    void inspect(Exchange x) {
        x.json(200, find(x.param("id")));
    }

    void remove(Exchange x) {
        Map<String, Object> n = find(x.param("id"));
        if (NetworkWire.find(x.param("id")) != null) {
            throw new ApiException(403, x.param("id") + " is a pre-defined network and cannot be removed");
        }
        user.remove((String) n.get("Name"));
        x.status(204);
    }

    void prune(Exchange x) {
        List<String> deleted = new ArrayList<>();
        for (Map<String, Object> n : user.all()) {
            if (matches(n, x.query().filters())) {
                user.remove((String) n.get("Name"));
                deleted.add((String) n.get("Name"));
            }
        }
        x.json(200, Map.of("NetworksDeleted", deleted));
    }

    /** Every container is on the host network already; connecting to a user network changes nothing. */
    void connectOrDisconnect(Exchange x) {
        find(x.param("id"));
        if (NetworkWire.find(x.param("id")) != null) {
            throw ApiException.notImplemented("andock cannot move a container between the host, bridge and none networks");
        }
        x.json(200, Map.of());
    }
}
