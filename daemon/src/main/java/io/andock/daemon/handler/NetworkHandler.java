package io.andock.daemon.handler;

import io.andock.AndockException;
import io.andock.daemon.backend.UserNetworks;
import io.andock.daemon.http.ApiException;
import io.andock.daemon.http.Exchange;
import io.andock.daemon.http.Router;
import io.andock.daemon.wire.NetworkWire;
import io.andock.json.JsonObject;
import io.andock.net.Endpoint;
import io.andock.net.NetworkRequest;
import io.andock.net.UserNetwork;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /networks}: the fixed host, none and bridge networks ({@link NetworkWire}), plus user-defined bridge
 * networks ({@link UserNetworks} over the engine's {@code Networks}): their own bridge and subnet, containers on
 * them found by name and alias, connect and disconnect.
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
                .post("/networks/{id}/connect", this::connect)
                .post("/networks/{id}/disconnect", this::disconnect);
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
            throw ApiException.notImplemented("andock's user-defined networks are bridge networks; driver " + driver + " is not supported");
        }
        // IPv6 is accepted and left out, with dockerd's Warning field saying so (the CLI prints it): clients that
        // ask for dual-stack networks get their IPv4 half rather than a refusal
        List<String> warnings = new ArrayList<>();
        if (b.bool("EnableIPv6")) warnings.add("andock's networks are IPv4 only: IPv6 is not enabled on network " + name);
        JsonObject ipam = b.object("IPAM");
        List<JsonObject> configs = new ArrayList<>();
        for (JsonObject c : ipam.objects("Config")) {
            if (c.string("Subnet", "").contains(":")) {
                warnings.add("IPv6 subnet " + io.andock.container.StoreNames.printable(c.string("Subnet", "")) + " ignored");
            } else {
                configs.add(c);
            }
        }
        if (configs.size() > 1) throw ApiException.notImplemented("andock's networks have one IPv4 subnet; " + configs.size() + " were given");
        JsonObject c = configs.isEmpty() ? JsonObject.of(Map.of()) : configs.get(0);
        UserNetwork n = user.engine().create(new NetworkRequest(name, c.string("Subnet", ""), c.string("Gateway", ""),
                c.string("IPRange", ""), b.bool("Internal"), b.bool("Attachable"), b.stringMap("Labels"), b.stringMap("Options"),
                c.stringMap("AuxiliaryAddresses")));
        x.json(201, Map.of("Id", n.id(), "Warning", String.join("; ", warnings)));
    }

    void list(Exchange x) {
        Map<String, List<String>> f = x.query().filters();
        List<Object> out = new ArrayList<>();
        for (String n : NetworkWire.NAMES) {
            Map<String, Object> m = NetworkWire.network(n);
            if (matches(m, f)) out.add(m);
        }
        for (UserNetwork n : user.engine().list()) {
            Map<String, Object> m = NetworkWire.user(n, user.engine().members(n));
            if (matches(m, f)) out.add(m);
        }
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
        find(x.param("id"));
        if (NetworkWire.find(x.param("id")) != null) {
            throw new ApiException(403, x.param("id") + " is a pre-defined network and cannot be removed");
        }
        user.engine().remove(x.param("id"));
        x.status(204);
    }

    void prune(Exchange x) {
        Map<String, List<String>> f = x.query().filters();
        List<String> deleted = user.engine().prune(n -> matches(NetworkWire.user(n, List.of()), f));
        x.json(200, Map.of("NetworksDeleted", deleted));
    }

    void connect(Exchange x) {
        if (NetworkWire.find(x.param("id")) != null) {
            throw ApiException.notImplemented("andock cannot move a container between the host, bridge and none networks");
        }
        JsonObject b = x.json();
        String container = b.string("Container", "");
        if (container.isEmpty()) throw ApiException.badRequest("a container is required");
        String network = (String) find(x.param("id")).get("Name");
        JsonObject config = b.object("EndpointConfig");
        List<String> aliases = config.strings("Aliases");
        user.engine().connect(network, container, new Endpoint(network, aliases == null ? List.of() : aliases,
                config.object("IPAMConfig").string("IPv4Address", "")));
        x.status(200);
    }

    void disconnect(Exchange x) {
        if (NetworkWire.find(x.param("id")) != null) {
            throw ApiException.notImplemented("andock cannot move a container between the host, bridge and none networks");
        }
        JsonObject b = x.json();
        String container = b.string("Container", "");
        if (container.isEmpty()) throw ApiException.badRequest("a container is required");
        user.engine().disconnect((String) find(x.param("id")).get("Name"), container, b.bool("Force"));
        x.status(200);
    }
}
