package io.andock.engine;

import io.andock.net.BridgeNetworks;
import io.andock.net.Endpoint;
import io.andock.net.NetworkMember;
import io.andock.net.NetworkRequest;
import io.andock.net.Networking;
import io.andock.net.UserNetwork;

import java.util.List;
import java.util.function.Predicate;

/**
 * The networks façade both front ends call: Docker's {@code network} commands over andock's user-defined bridge
 * networks, and the endpoints a container is created with. The built-in {@code bridge}, {@code host} and
 * {@code none} are not user networks: they exist on every host and are the front ends' to describe.
 */
public final class Networks {
    private final BridgeNetworks networks;
    private final Networking networking;

    Networks(Networking networking) {
        this.networking = networking;
        this.networks = networking.userNetworks();
    }

    /** {@code bridge}, {@code host}, {@code none}. */
    public static List<String> builtin() {
        return Networking.BUILTIN;
    }

    public UserNetwork create(NetworkRequest request) {
        return networks.create(request);
    }

    public List<UserNetwork> list() {
        return networks.list();
    }

    /** By name, id or unique id prefix; NOT_FOUND otherwise. */
    public UserNetwork inspect(String ref) {
        return networks.find(ref);
    }

    /** Null where {@link #inspect} would throw NOT_FOUND. */
    public UserNetwork findOrNull(String ref) {
        return networks.findOrNull(ref);
    }

    public List<NetworkMember> members(UserNetwork n) {
        return networks.members(n);
    }

    /** CONFLICT while a container is on it. */
    public void remove(String ref) {
        networks.remove(ref);
    }

    /** Removes the selected networks no container is on; their names. */
    public List<String> prune(Predicate<UserNetwork> selected) {
        return networks.prune(selected);
    }

    /** What a container being created asked of each user network (aliases, fixed address); before its first start. */
    public void setEndpoints(String containerId, List<Endpoint> endpoints) {
        networks.setEndpoints(containerId, endpoints);
    }

    public void connect(String network, String container, Endpoint endpoint) {
        networking.connector().connect(network, container, endpoint);
    }

    public void disconnect(String network, String container, boolean force) {
        networking.connector().disconnect(network, container, force);
    }
}
