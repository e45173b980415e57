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
 * An andock root's bridge network: the Linux bridge ({@code andock0}) and its IPv4 subnet ({@code 10.88.0.0/16}),
 * chosen once per root so that neither the bridge nor the subnet is already in use on this machine (another
 * andock root, Docker, a VPN), and kept in {@code <root>/net/bridge.json}. {@link #conflist} is the CNI network
 * made of it.
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

    /** The first candidate whose bridge name ({@code andockN}) is not a link and whose subnet overlaps no route. */
    static Bridge choose(List<Routes.Route> routes, Set<String> links) {
        for (int i = 0; i < CANDIDATES.size(); i++) {
            String name = "andock" + i;
            String subnet = CANDIDATES.get(i);
            if (links.contains(name)) continue;
            Routes.Route net = Routes.Route.parse(subnet);
            if (routes.stream().noneMatch(r -> r.prefix() > 0 && r.overlaps(net))) return new Bridge(name, subnet);
        }
        throw new AndockException(AndockException.Kind.UNAVAILABLE, "no free subnet for andock's bridge among " + CANDIDATES);
    }

    /**
     * Which andock root owns each bridge, machine-wide, so that the bridge of a root that was deleted (tests make
     * many) can be taken back instead of exhausting the candidates. Lost at reboot, like the bridges themselves.
     */
    static final Path CLAIMS = Path.of("/run/andock/bridges");

    /** The root's bridge: the one recorded in {@code file}, or a new choice recorded there. */
    static synchronized Bridge forRoot(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                JsonObject o = JsonObject.parse(Files.readAllBytes(file));
                return new Bridge(o.string("Bridge"), o.string("Subnet"));
            }
            reclaimAbandoned();
            Bridge b = choose(Routes.read(), Routes.links());
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
            Files.write(tmp, Json.writeBytes(Map.of("Bridge", b.name(), "Subnet", b.subnet())));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            claim(b.name(), file);
            return b;
        } catch (IOException e) {
            throw AndockException.wrap("choose the bridge network (" + file + ")", e);
        }
    }

    private static void claim(String bridge, Path bridgeFile) {
        try {
            Files.createDirectories(CLAIMS);
            Files.writeString(CLAIMS.resolve(bridge), bridgeFile.toAbsolutePath().toString());
        } catch (IOException e) {
            // Without claims a deleted root's bridge is merely not reclaimed.
        }
    }

    /** Deletes the andock bridges whose claiming root's bridge.json is gone or names another bridge. */
    private static void reclaimAbandoned() {
        for (String link : Routes.links()) {
            if (!link.matches("andock\\d+")) continue;
            Path claim = CLAIMS.resolve(link);
            try {
                if (!Files.isRegularFile(claim)) continue;
                Path owner = Path.of(Files.readString(claim).strip());
                boolean abandoned = !Files.isRegularFile(owner)
                        || !link.equals(JsonObject.parse(Files.readAllBytes(owner)).string("Bridge"));
                if (!abandoned) continue;
                Process p = new ProcessBuilder("ip", "link", "delete", link).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() == 0) Files.deleteIfExists(claim);
            } catch (IOException | AndockException e) {
                // leave it: the next candidate is tried
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
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
