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
import java.util.regex.Pattern;

/**
 * The subnets of user-defined networks, host-wide: {@code subnets/<bridge>.json} in the host network directory
 * ({@link Networking#hostDir}), so that networks of different roots never share a subnet or a bridge, as the
 * default bridge's choice is shared ({@link Bridge}). A claim names the network's root-side record. The directory
 * is a tmpfs: after a reboot a network's claim is made again at its first use ({@link #reclaim}). Callers hold
 * the host-wide lock. A claim whose root was deleted without {@code network rm} is dropped at the next choice
 * ({@link #sweep}), with its bridge.
 */
final class SubnetClaims {
    private static final Pattern BRIDGE = Pattern.compile("andock-[0-9a-f]{8}");
    /** Where chosen subnets come from: 10.100.0.0/24, 10.100.1.0/24, … 10.127.255.0/24 (the default bridge uses 10.88–99). */
    private static final int FIRST = (10 << 24) | (100 << 16), LAST = (10 << 24) | (127 << 16) | (255 << 8);

    private final Path dir;
    private final Path hostDir;

    SubnetClaims(Path hostDir) {
        this.hostDir = hostDir;
        this.dir = hostDir.resolve("subnets");
    }

    record Claim(String bridge, String subnet, String owner) {}

    List<Claim> list() {
        List<Claim> out = new ArrayList<>();
        try (var ds = Files.list(dir)) {
            for (Path f : (Iterable<Path>) ds::iterator) {
                String n = f.getFileName().toString();
                if (!n.endsWith(".json") || !BRIDGE.matcher(n.substring(0, n.length() - 5)).matches()) continue;
                try {
                    JsonObject o = JsonObject.parse(Files.readAllBytes(f));
                    out.add(new Claim(n.substring(0, n.length() - 5), o.string("Subnet"), o.string("Owner", "")));
                } catch (IOException | RuntimeException torn) {
                    // half-written by a process that died: ignored, its bridge's name stays taken by the link
                }
            }
        } catch (IOException e) {
            // none yet
        }
        return out;
    }

    /**
     * Drops the claims whose network is gone without its {@code network rm}: its root was deleted, or holds no
     * network of that bridge any more (a test's or a user's {@code rm -rf} of a root). Returns how many.
     */
    int sweep() {
        int n = 0;
        for (Claim c : list()) {
            if (c.owner().isEmpty() || ownerHas(Path.of(c.owner()), c.bridge())) continue;
            release(c.bridge());
            if (Routes.links().contains(c.bridge())) {
                io.andock.os.CommandRunner.failure(List.of("ip", "link", "delete", c.bridge()), java.time.Duration.ofSeconds(30));
            }
            n++;
        }
        return n;
    }

    private static boolean ownerHas(Path root, String bridge) {
        String prefix = bridge.substring("andock-".length());
        try (var ds = Files.list(root.resolve("networks"))) {
            return ds.anyMatch(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".json"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Everything a new subnet must not overlap: the host's routes, the default bridge's subnet, other claims. */
    private List<Routes.Route> taken(String exceptBridge) {
        sweep();
        List<Routes.Route> out = new ArrayList<>();
        for (Routes.Route r : Routes.read()) if (r.prefix() > 0) out.add(r);
        Bridge shared = Bridge.read(hostDir.resolve("bridge.json"));
        out.add(Routes.Route.parse(shared != null ? shared.subnet() : Bridge.CANDIDATES.get(0)));
        for (Claim c : list()) if (!c.bridge().equals(exceptBridge)) out.add(Routes.Route.parse(c.subnet()));
        return out;
    }

    /** The first free /24 of the pool. */
    String choose() {
        List<Routes.Route> taken = taken(null);
        for (int a = FIRST; a <= LAST; a += 256) {
            Routes.Route cand = new Routes.Route(a, 24);
            if (taken.stream().noneMatch(t -> t.overlaps(cand))) return Ipv4.cidr(cand);
        }
        throw new AndockException(AndockException.Kind.UNAVAILABLE, "no free subnet left in 10.100.0.0/11 for a new network; give one with --subnet");
    }

    /** Refuses a subnet the user gave that overlaps a route, the default bridge or another network. */
    void requireFree(String subnet, String bridge) {
        Routes.Route want = Routes.Route.parse(subnet);
        for (Claim c : list()) {
            if (!c.bridge().equals(bridge) && Routes.Route.parse(c.subnet()).overlaps(want)) {
                throw AndockException.conflict("Pool overlaps with other one on this address space (" + subnet + " and " + c.subnet() + ")");
            }
        }
        for (Routes.Route r : taken(bridge)) {
            if (r.overlaps(want)) throw AndockException.conflict("Pool overlaps with other one on this address space (" + subnet
                    + " overlaps " + Ipv4.cidr(r) + " of this host)");
        }
    }

    void claim(UserNetwork n, Path owner) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Subnet", n.subnet());
        m.put("Owner", owner.toAbsolutePath().normalize().toString());
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(n.bridge() + ".json");
            Path tmp = dir.resolve(n.bridge() + ".json.tmp");
            Files.write(tmp, Json.writeBytes(m));
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("claim subnet " + n.subnet() + " for network " + n.name(), e);
        }
    }

    /** Claims again the subnet of a network whose claim was lost (a reboot emptied the tmpfs); refuses if taken since. */
    void reclaim(UserNetwork n, Path owner) {
        if (Files.isRegularFile(dir.resolve(n.bridge() + ".json"))) return;
        for (Claim c : list()) {
            if (Routes.Route.parse(c.subnet()).overlaps(Routes.Route.parse(n.subnet()))) {
                throw AndockException.conflict("network " + n.name() + ": its subnet " + n.subnet() + " is now used by "
                        + c.bridge() + " (" + c.owner() + ")");
            }
        }
        claim(n, owner);
    }

    void release(String bridge) {
        try {
            Files.deleteIfExists(dir.resolve(bridge + ".json"));
        } catch (IOException e) {
            throw AndockException.wrap("release the subnet of " + bridge, e);
        }
    }
}
