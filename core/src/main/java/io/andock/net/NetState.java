package io.andock.net;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import io.andock.container.PortBinding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running container's network, {@code net/state.json} in its directory while the network is up (the teardown
 * removes it). Other containers' starts read it to find ports already published.
 *
 * @param address   the container's IPv4 address on the bridge, "" otherwise
 * @param forwarder how ports are published: {@code portmap} (CNI, iptables), {@code proxy} (userspace), or ""
 */
record NetState(String mode, String bridge, String address, int prefixLen, String gateway, String mac, String sandboxKey,
                List<PortBinding> ports, String forwarder) {

    NetState {
        ports = List.copyOf(ports);
    }

    static NetState readOrNull(Path netDir) {
        try {
            byte[] b = Files.readAllBytes(netDir.resolve("state.json"));
            JsonObject o = JsonObject.parse(b);
            List<PortBinding> ports = new ArrayList<>();
            for (JsonObject p : o.objects("Ports")) ports.add(PortBinding.fromJson(p));
            return new NetState(o.string("Mode", ""), o.string("Bridge", ""), o.string("IPAddress", ""),
                    (int) o.number("IPPrefixLen", 0), o.string("Gateway", ""), o.string("MacAddress", ""),
                    o.string("SandboxKey", ""), ports, o.string("Forwarder", ""));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void write(Path netDir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Mode", mode);
        m.put("Bridge", bridge);
        m.put("IPAddress", address);
        m.put("IPPrefixLen", (long) prefixLen);
        m.put("Gateway", gateway);
        m.put("MacAddress", mac);
        m.put("SandboxKey", sandboxKey);
        m.put("Ports", ports);
        m.put("Forwarder", forwarder);
        try {
            Path tmp = netDir.resolve("state.json.tmp");
            Files.write(tmp, Json.writeBytes(m));
            Files.move(tmp, netDir.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("write " + netDir.resolve("state.json"), e);
        }
    }

    /** The CNI result's first address (as {@code 10.88.0.2/16}), its gateway and its interface's MAC. */
    @SuppressWarnings("unchecked")
    static NetState fromCniResult(Map<String, Object> result, String bridge, Path netns, List<PortBinding> ports, String forwarder) {
        List<Object> ips = result.get("ips") instanceof List<?> l ? (List<Object>) l : List.of();
        if (ips.isEmpty()) throw new AndockException(AndockException.Kind.UNAVAILABLE, "cni bridge: no address in the result");
        Map<String, Object> ip = (Map<String, Object>) ips.get(0);
        String[] cidr = String.valueOf(ip.get("address")).split("/");
        String mac = "";
        if (ip.get("interface") instanceof Number n && result.get("interfaces") instanceof List<?> ifs && n.intValue() < ifs.size()
                && ifs.get(n.intValue()) instanceof Map<?, ?> iface && iface.get("mac") != null) {
            mac = iface.get("mac").toString();
        }
        return new NetState("bridge", bridge, cidr[0], cidr.length > 1 ? Integer.parseInt(cidr[1]) : 32,
                ip.get("gateway") == null ? "" : ip.get("gateway").toString(), mac, netns.toString(), ports, forwarder);
    }
}
