package io.andock.daemon.backend;

import io.andock.daemon.wire.NetworkWire;
import io.andock.engine.Networks;
import io.andock.json.JsonObject;
import io.andock.net.Endpoint;
import io.andock.net.UserNetwork;

import java.util.List;
import java.util.Map;

/**
 * The daemon's view of user-defined networks ({@link Networks}, the engine's bridge networks): lookups as wire
 * documents, and the endpoints a container create asks for ({@code NetworkingConfig.EndpointsConfig}).
 */
public final class UserNetworks {
    private final Networks networks;

    public UserNetworks(Networks networks) {
        this.networks = networks;
    }

    public Networks engine() {
        return networks;
    }

    /** The network's inspect document by name, id or id prefix, or null when no user network has it. */
    public Map<String, Object> find(String ref) {
        UserNetwork n = networks.findOrNull(ref);
        return n == null ? null : NetworkWire.user(n, networks.members(n));
    }

    /**
     * The user networks of a create body's {@code EndpointsConfig} with their aliases and fixed addresses,
     * {@code primary} (its {@code NetworkMode}) first; built-in networks are skipped. Checked before the container
     * exists, so bad input creates nothing.
     */
    public List<Endpoint> endpoints(JsonObject body, String primary) {
        return NetworkWire.endpoints(body.object("NetworkingConfig").object("EndpointsConfig"), primary,
                n -> networks.findOrNull(n) != null);
    }

    public void setEndpoints(String containerId, List<Endpoint> endpoints) {
        if (!endpoints.isEmpty()) networks.setEndpoints(containerId, endpoints);
    }
}
