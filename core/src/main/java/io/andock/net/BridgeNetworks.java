package io.andock.net;

import io.andock.AndockException;
import io.andock.container.StoreNames;
import io.andock.container.ContainerDir;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerStore;
import io.andock.os.HostTools;
import io.andock.os.ProcessLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * User-defined bridge networks of one root: create (IPAM checked or chosen, the subnet claimed host-wide), list,
 * find, remove; which containers are on one; a container's endpoints (its wishes) and, while it runs, connect and
 * disconnect ({@link NetworkAttacher}). A network's bridge is made by the CNI bridge plugin at its first container's
 * start and removed with the network. Changes hold the host-wide network lock, as container starts do.
 */
public final class BridgeNetworks {
    private final Path root;
    private final Path hostDir;
    private final NetworkStore store;
    private final SubnetClaims claims;
    private final ContainerStore containers;
    private final PeerHosts peers;

    BridgeNetworks(Path root, Path hostDir) {
        this.root = root;
        this.hostDir = hostDir;
        this.store = new NetworkStore(root);
        this.claims = new SubnetClaims(hostDir);
        this.containers = new ContainerStore(root);
        this.peers = new PeerHosts(root);
    }

    ProcessLock hostLock() {
        return ProcessLock.exclusive((HostTools.isRoot() ? HostDir.ensure(hostDir) : ensureDir(hostDir)).resolve("lock"));
    }

    private static Path ensureDir(Path d) {
        try {
            Files.createDirectories(d);
            return d;
        } catch (java.io.IOException e) {
            throw AndockException.wrap("andock's network directory " + d, e);
        }
    }

    /** {@code --aux-address}es of one network: far above any real use, each one an address kept from containers. */
    private static final int MAX_AUX = 256;

    /** {@code network create}: ALREADY_EXISTS for a name in use; the subnet checked free or chosen free. */
    public UserNetwork create(NetworkRequest req) {
        UserNetwork.validateName(req.name());
        try (ProcessLock l = hostLock()) {
            if (store.list().stream().anyMatch(x -> x.name().equals(req.name()))) throw new AndockException(AndockException.Kind.CONFLICT, "network with name " + req.name() + " already exists");
            String id = newId();
            String bridge = "andock-" + id.substring(0, 8);
            String subnet;
            if (req.subnet().isEmpty()) {
                if (!req.gateway().isEmpty() || !req.ipRange().isEmpty()) throw AndockException.invalid("--gateway and --ip-range need --subnet");
                subnet = claims.choose();
            } else {
                subnet = Ipv4.cidr(Ipv4.cidr(req.subnet(), "subnet"));
                claims.requireFree(subnet, bridge);
            }
            Routes.Route net = Routes.Route.parse(subnet);
            String gateway = "";
            if (!req.gateway().isEmpty()) {
                int g = Ipv4.parse(req.gateway(), "gateway");
                if (!Ipv4.contains(net, g)) throw AndockException.invalid("gateway " + req.gateway() + " is not in subnet " + subnet);
                gateway = Ipv4.format(g);
            } else if (!req.internal()) {
                gateway = Ipv4.format(net.address() + 1);
            }
            String range = "";
            if (!req.ipRange().isEmpty()) {
                Routes.Route r = Ipv4.cidr(req.ipRange(), "ip range");
                if (r.prefix() < net.prefix() || !Ipv4.contains(net, r.address())) {
                    throw AndockException.invalid("ip range " + req.ipRange() + " is not in subnet " + subnet);
                }
                range = Ipv4.cidr(r);
            }
            Map<String, String> aux = new java.util.TreeMap<>();
            if (req.auxAddresses().size() > MAX_AUX) throw AndockException.invalid("at most " + MAX_AUX + " auxiliary addresses");
            req.auxAddresses().forEach((k, v) -> {
                if (k.isEmpty() || k.length() > 255) throw AndockException.invalid("invalid auxiliary address name " + StoreNames.printable(k));
                int a = Ipv4.parse(v, "auxiliary address");
                if (!Ipv4.contains(net, a)) throw AndockException.invalid("auxiliary address " + v + " is not in subnet " + subnet);
                aux.put(k, Ipv4.format(a));
            });
            if (!aux.isEmpty() && req.subnet().isEmpty()) throw AndockException.invalid("--aux-address needs --subnet");
            UserNetwork n = new UserNetwork(id, req.name(), subnet, gateway, range, req.internal(), req.attachable(),
                    req.labels(), req.options(), io.andock.Timestamps.format(Instant.now()), aux);
            store.put(n); // first: a sweep drops a claim whose root holds no such network
            claims.claim(n, root);
            return n;
        }
    }

    private static String newId() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public List<UserNetwork> list() {
        return store.list();
    }

    /** The network {@code ref} names (name, id, unique id prefix), or null. */
    public UserNetwork findOrNull(String ref) {
        return store.find(ref);
    }

    public UserNetwork find(String ref) {
        UserNetwork n = store.find(ref);
        if (n == null) throw AndockException.notFound("network " + io.andock.container.StoreNames.printable(ref) + " not found");
        return n;
    }

    /** The ids of this root's containers on {@code n} (asked for at create or connect, whether running or not). */
    public List<String> containersOn(UserNetwork n) {
        List<String> out = new ArrayList<>();
        for (String id : containers.ids()) {
            ContainerRecord r = containers.recordOrNull(id);
            if (r != null && endpoints(containers.dir(id), r).stream().anyMatch(e -> e.network().equals(n.name()))) out.add(id);
        }
        return out;
    }

    /** The containers on {@code n}, with their address on it while they run. */
    public List<NetworkMember> members(UserNetwork n) {
        List<NetworkMember> out = new ArrayList<>();
        for (String id : containersOn(n)) {
            ContainerRecord r = containers.recordOrNull(id);
            if (r == null) continue;
            Attachment a = Attachment.read(containers.dir(id)).stream().filter(x -> x.networkId().equals(n.id())).findFirst().orElse(null);
            out.add(new NetworkMember(id, r.name().replaceFirst("^/", ""), a == null ? "" : a.address(),
                    a == null ? 0 : a.prefixLen(), a == null ? "" : a.mac()));
        }
        return out;
    }

    /** {@code network rm}: CONFLICT while a container is on it; the bridge link and the subnet's claim go too. */
    public void remove(String ref) {
        try (ProcessLock l = hostLock()) {
            UserNetwork n = find(ref);
            List<String> on = containersOn(n);
            if (!on.isEmpty()) {
                throw AndockException.conflict("error while removing network: network " + n.name() + " id " + n.id()
                        + " has active endpoints (" + on.size() + " container" + (on.size() == 1 ? "" : "s") + ")");
            }
            store.delete(n);
            claims.release(n.bridge());
            if (Routes.links().contains(n.bridge())) {
                io.andock.os.CommandRunner.failure(List.of("ip", "link", "delete", n.bridge()), java.time.Duration.ofSeconds(30));
            }
        }
    }

    /** {@code network prune}: removes the networks no container is on and that match {@code keep}'s negation; their names. */
    public List<String> prune(java.util.function.Predicate<UserNetwork> selected) {
        List<String> out = new ArrayList<>();
        for (UserNetwork n : list()) {
            if (!selected.test(n)) continue;
            try {
                remove(n.id());
                out.add(n.name());
            } catch (AndockException e) {
                if (e.kind() != AndockException.Kind.CONFLICT && e.kind() != AndockException.Kind.NOT_FOUND) throw e;
            }
        }
        return out;
    }

    /** The container's endpoints: those recorded, with its {@code NetworkMode} first when that is a user network. */
    List<Endpoint> endpoints(ContainerDir dir, ContainerRecord r) {
        List<Endpoint> recorded = Endpoint.read(dir);
        String mode = r.spec().networkMode();
        if (mode == null || Networking.BUILTIN.contains(mode) || Endpoint.primaryDetached(dir)) return recorded;
        List<Endpoint> out = new ArrayList<>();
        Endpoint primary = recorded.stream().filter(e -> e.network().equals(mode)).findFirst().orElse(new Endpoint(mode, List.of(), ""));
        out.add(primary);
        for (Endpoint e : recorded) if (!e.network().equals(mode)) out.add(e);
        return out;
    }

    /** Records what the API's create asked for each network ({@code EndpointsConfig}); the container is not running yet. */
    public void setEndpoints(String containerId, List<Endpoint> endpoints) {
        List<Endpoint> named = new ArrayList<>();
        for (Endpoint e : endpoints) named.add(new Endpoint(find(e.network()).name(), e.aliases(), e.ipv4Address())); // an id becomes the name
        Endpoint.write(containers.dir(containers.resolve(containerId)), named);
    }

    /** The names peers resolve to a container: its name, its aliases, its short id. */
    static List<String> names(ContainerRecord r, Endpoint e) {
        List<String> out = new ArrayList<>();
        out.add(r.name().startsWith("/") ? r.name().substring(1) : r.name());
        out.addAll(e.aliases());
        out.add(r.shortId());
        return out;
    }

    /** Rewrites the peer lines of every attached container of this root. */
    void refreshPeers() {
        peers.refresh();
    }

    NetworkStore store() {
        return store;
    }

    SubnetClaims claims() {
        return claims;
    }

    Path root() {
        return root;
    }

    /** {@code NetworkSettings.Networks} entries of the container's user networks (address while it runs). */
    Map<String, Object> settings(ContainerDir dir, ContainerRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Attachment> live = Attachment.read(dir);
        for (Endpoint e : endpoints(dir, r)) {
            UserNetwork n = store.find(e.network());
            Attachment a = live.stream().filter(x -> x.network().equals(e.network())).findFirst().orElse(null);
            Map<String, Object> m = new LinkedHashMap<>();
            Map<String, Object> ipam = new LinkedHashMap<>();
            if (!e.ipv4Address().isEmpty()) ipam.put("IPv4Address", e.ipv4Address());
            m.put("IPAMConfig", ipam.isEmpty() ? null : ipam);
            m.put("Links", null);
            m.put("Aliases", e.aliases());
            m.put("MacAddress", a == null ? "" : a.mac());
            m.put("NetworkID", n == null ? "" : n.id());
            m.put("EndpointID", a == null ? "" : a.networkId().substring(0, 16) + r.id().substring(0, 48));
            m.put("Gateway", a == null ? "" : a.gateway());
            m.put("IPAddress", a == null ? "" : a.address());
            m.put("IPPrefixLen", a == null ? 0L : (long) a.prefixLen());
            m.put("IPv6Gateway", "");
            m.put("GlobalIPv6Address", "");
            m.put("GlobalIPv6PrefixLen", 0L);
            m.put("DNSNames", a == null ? null : a.names());
            out.put(e.network(), m);
        }
        return out;
    }
}
