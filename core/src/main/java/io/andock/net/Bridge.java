package io.andock.net;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bridge network every andock root on this machine shares, as Docker's {@code docker0}: one Linux bridge
 * (normally {@code andock0}) and one IPv4 subnet (normally {@code 10.88.0.0/16}), chosen once so that neither is
 * already in use (Docker, Podman, a VPN, a bridge an older andock made per root), and kept in {@code bridge.json}
 * in the host-wide network directory ({@link Networking#hostDir}: {@code /run/andock/net}, a tmpfs, so forgotten at
 * reboot like the bridge itself). The bridge stays when its last container goes, as {@code docker0} does: taking
 * it down would race with another root's start, and an idle bridge costs nothing. {@link #conflist} is the CNI
 * network made of it; containers of every root on it reach each other, as on Docker's default bridge.
 */
public record Bridge(String name, String subnet) {
    /** The subnets tried in order: Podman's 10.88/16 first, then its neighbours, then 172.29–31/16. */
    static final List<String> CANDIDATES = candidates();

    private static List<String> candidates() {
        List<String> out = new ArrayList<>();
        for (int i = 88; i < 100; i++) out.add("10." + i + ".0.0/16");
        for (int i = 29; i < 32; i++) out.add("172." + i + ".0.0/16");
        return out;
    }

    /** The first name {@code andockN} that is not a link, with the first candidate subnet that overlaps no route. */
    static Bridge choose(List<Routes.Route> routes, Set<String> links) {
        String name = null;
        for (int i = 0; name == null; i++) {
            if (!links.contains("andock" + i)) name = "andock" + i;
        }
        for (String subnet : CANDIDATES) {
            if (!collides(subnet, routes)) return new Bridge(name, subnet);
        }
        throw new AndockException(AndockException.Kind.UNAVAILABLE, "no free subnet for andock's bridge among " + CANDIDATES
                + ": every one overlaps a route of this machine (ip route)");
    }

    static boolean collides(String subnet, List<Routes.Route> routes) {
        Routes.Route net = Routes.Route.parse(subnet);
        return routes.stream().anyMatch(r -> r.prefix() > 0 && r.overlaps(net));
    }

    /**
     * The shared bridge recorded in {@code hostDir}, or a new choice recorded there. A recorded bridge whose link
     * is gone and whose subnet a route took meanwhile (a VPN came up) is chosen again when no container uses it.
     * Before a first choice, the idle bridges older andock versions made per root are removed. The caller holds the
     * host-wide lock.
     */
    static Bridge shared(Path hostDir, Leases leases) {
        Path file = hostDir.resolve("bridge.json");
        try {
            Bridge b = read(file);
            if (b != null && (Routes.links().contains(b.name()) || !collides(b.subnet(), Routes.read()) || !leases.list().isEmpty())) {
                LegacyBridges.disown(b.name());
                return b;
            }
            if (b == null) LegacyBridges.removeIdle(Routes.links());
            b = choose(Routes.read(), Routes.links());
            Files.createDirectories(hostDir);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
            Files.write(tmp, Json.writeBytes(Map.of("Bridge", b.name(), "Subnet", b.subnet())));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LegacyBridges.disown(b.name());
            return b;
        } catch (IOException e) {
            throw AndockException.wrap("choose the bridge network (" + file + ")", e);
        }
    }

    /** The bridge recorded in {@code file}, or null when there is none (or it is unreadable: chosen again). */
    static Bridge read(Path file) {
        try {
            JsonObject o = JsonObject.parse(Files.readAllBytes(file));
            String name = o.string("Bridge");
            String subnet = o.string("Subnet");
            if (!name.matches("andock\\d{1,3}") || !CANDIDATES.contains(subnet)) return null;
            return new Bridge(name, subnet);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The CNI network list: {@code bridge} (gateway on the bridge, hairpin, masquerade when {@code iptables}) with
     * {@code host-local} addresses kept in {@code ipamDir}, then {@code portmap} for {@code -p} and
     * {@code firewall} when iptables works and they are installed.
     */
    Map<String, Object> conflist(Path ipamDir, boolean iptables, boolean portmap, boolean firewall) {
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        ipam.put("ranges", List.of(List.of(Map.of("subnet", subnet))));
        ipam.put("routes", List.of(Map.of("dst", "0.0.0.0/0")));
        ipam.put("dataDir", ipamDir.toString());
        Map<String, Object> bridge = new LinkedHashMap<>();
        bridge.put("type", "bridge");
        bridge.put("bridge", name);
        bridge.put("isGateway", true);
        bridge.put("ipMasq", iptables);
        bridge.put("hairpinMode", true);
        bridge.put("ipam", ipam);
        List<Object> plugins = new ArrayList<>(List.of(bridge));
        if (iptables && portmap) plugins.add(Map.of("type", "portmap", "capabilities", Map.of("portMappings", true)));
        if (iptables && firewall) plugins.add(Map.of("type", "firewall"));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cniVersion", Cni.VERSION);
        c.put("name", "andock");
        c.put("plugins", plugins);
        return c;
    }

    /** The loopback network: brings {@code lo} up in the container's namespace. */
    static Map<String, Object> loopback() {
        return Map.of("cniVersion", Cni.VERSION, "name", "andock-lo", "plugins", List.of(Map.of("type", "loopback")));
    }
}
