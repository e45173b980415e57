package io.andock.daemon.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
}
