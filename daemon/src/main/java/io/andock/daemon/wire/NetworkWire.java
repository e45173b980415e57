package io.andock.daemon.wire;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import io.andock.net.Endpoint;
import io.andock.net.NetworkMember;
import io.andock.net.UserNetwork;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The networks andock has: {@code host} (every container's default: published ports are the container's own
 * ports on the host), {@code none}, and {@code bridge} as an alias of host whose gateway is 127.0.0.1, because
 * Testcontainers, believing itself in a container, connects to mapped ports through the bridge gateway.
 */
public final class NetworkWire {
    public static final List<String> NAMES = List.of("bridge", "host", "none");

    private NetworkWire() {}

    public static String id(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("andock-network-" + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The network named or id'd by {@code ref} (full id or prefix), or null. */
    public static Map<String, Object> find(String ref) {
        for (String n : NAMES) {
            if (n.equals(ref) || (ref.length() >= 3 && id(n).startsWith(ref))) return network(n);
        }
        return null;
    }

    public static Map<String, Object> network(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Id", id(name));
        m.put("Created", "0001-01-01T00:00:00Z");
        m.put("Scope", "local");
        m.put("Driver", name.equals("none") ? "null" : name.equals("bridge") ? "bridge" : "host");
        m.put("EnableIPv6", false);
        List<Object> config = name.equals("bridge") ? List.of(Map.of("Subnet", "127.0.0.0/8", "Gateway", "127.0.0.1")) : List.of();
        m.put("IPAM", Map.of("Driver", "default", "Options", Map.of(), "Config", config));
        m.put("Internal", false);
        m.put("Attachable", false);
        m.put("Ingress", false);
        m.put("ConfigOnly", false);
        m.put("Containers", Map.of());
        m.put("Options", Map.of());
        m.put("Labels", Map.of());
        return m;
    }

    /** A user-defined network as {@code GET /networks/{id}} shows it, with its containers. */
    public static Map<String, Object> user(UserNetwork n, List<NetworkMember> members) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", n.created());
        m.put("Scope", "local");
        m.put("Driver", "bridge");
        m.put("EnableIPv4", true);
        m.put("EnableIPv6", false);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Subnet", n.subnet());
        if (!n.ipRange().isEmpty()) config.put("IPRange", n.ipRange());
        if (!n.gateway().isEmpty()) config.put("Gateway", n.gateway());
        if (!n.auxAddresses().isEmpty()) config.put("AuxiliaryAddresses", new java.util.TreeMap<>(n.auxAddresses()));
        Map<String, Object> ipam = new java.util.LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", null); // dockerd's for a network created without IPAM options
        ipam.put("Config", List.of(config));
        m.put("IPAM", ipam);
        m.put("Internal", n.internal());
        m.put("Attachable", n.attachable());
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        Map<String, Object> containers = new LinkedHashMap<>();
        for (NetworkMember c : members) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("Name", c.name());
            e.put("EndpointID", c.address().isEmpty() ? "" : id(n.id() + "/" + c.containerId()));
            e.put("MacAddress", c.mac());
            e.put("IPv4Address", c.address().isEmpty() ? "" : c.address() + "/" + c.prefixLen());
            e.put("IPv6Address", "");
            containers.put(c.containerId(), e);
        }
        m.put("Containers", containers);
        m.put("Options", n.options());
        m.put("Labels", n.labels());
        return m;
    }

    /**
     * The user networks of an {@code EndpointsConfig} ({@code {"net": {"Aliases": [..], "IPAMConfig": {"IPv4Address": ..}}}}),
     * {@code primary} first; built-in ones skipped, an unknown one NOT_FOUND, at most 16.
     */
    public static List<Endpoint> endpoints(JsonObject config, String primary, java.util.function.Predicate<String> userNetwork) {
        List<Endpoint> out = new ArrayList<>();
        if (config.map().size() > 16) throw AndockException.invalid("a container can be on at most 16 networks");
        for (Map.Entry<String, Object> e : config.map().entrySet()) {
            String name = e.getKey();
            if (NAMES.contains(name) || name.equals("default")) continue;
            if (!userNetwork.test(name)) throw AndockException.notFound("network " + name + " not found");
            JsonObject ep = JsonObject.of(e.getValue() == null ? Map.of() : e.getValue());
            List<String> aliases = ep.strings("Aliases");
            Endpoint endpoint = new Endpoint(name, aliases == null ? List.of() : aliases, ep.object("IPAMConfig").string("IPv4Address", ""));
            if (name.equals(primary)) out.add(0, endpoint); else out.add(endpoint);
        }
        return out;
    }
}
