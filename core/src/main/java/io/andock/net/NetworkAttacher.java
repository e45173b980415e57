package io.andock.net;

import io.andock.AndockException;
import io.andock.container.ContainerDir;
import io.andock.container.ContainerRecord;
import io.andock.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CNI side of user networks: a network's conflist (its own bridge, host-local addresses from its subnet or
 * range, a fixed address through host-local's {@code ips} capability), and the interfaces after the first one
 * ({@code eth1}…, for a second network or {@code network connect} of a running container): each has its DEL
 * saved in the container's lease as {@code att-<ifname>.sh} before its ADD, run by {@code network disconnect}
 * or by the lease's {@code down.sh} ({@link Teardown#leaseScript}) when the container's network goes.
 */
final class NetworkAttacher {
    private final Cni cni;
    private final Path ipamDir;
    private final boolean iptables;

    NetworkAttacher(Cni cni, Path hostDir, boolean iptables) {
        this.cni = cni;
        this.ipamDir = hostDir.resolve("ipam");
        this.iptables = iptables;
    }

    /**
     * Keeps the network's {@code --aux-address}es from containers: host-local takes an address whose lease file
     * ({@code <dataDir>/<network>/<ip>}) exists as in use, and releases only the files holding a container's id.
     */
    private void reserveAuxAddresses(UserNetwork n) {
        if (n.auxAddresses().isEmpty()) return;
        Path dir = ipamDir.resolve(n.bridge());
        try {
            Files.createDirectories(dir);
            for (String ip : n.auxAddresses().values()) {
                Path lease = dir.resolve(Ipv4.format(Ipv4.parse(ip, "auxiliary address"))); // a dotted quad, never a path
                if (!Files.exists(lease, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.writeString(lease, "aux-address");
            }
        } catch (IOException e) {
            throw AndockException.wrap("reserve the auxiliary addresses of network " + n.name(), e);
        }
    }

    /** {@code portmap} only on the first interface, where {@code -p} is published. */
    Map<String, Object> conflist(UserNetwork n, boolean portmap) {
        Routes.Route subnet = Routes.Route.parse(n.subnet());
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("subnet", n.subnet());
        if (!n.gateway().isEmpty()) range.put("gateway", n.gateway());
        if (!n.ipRange().isEmpty()) {
            Routes.Route r = Routes.Route.parse(n.ipRange());
            int first = Math.max(r.address() + 1, subnet.address() + 1);
            int last = (r.address() | ~r.mask()) - (r.prefix() < 31 ? 1 : 0);
            last = Math.min(last, (subnet.address() | ~subnet.mask()) - 1);
            range.put("rangeStart", Ipv4.format(first));
            range.put("rangeEnd", Ipv4.format(last));
        }
        reserveAuxAddresses(n);
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        ipam.put("ranges", List.of(List.of(range)));
        if (!n.internal()) ipam.put("routes", List.of(Map.of("dst", "0.0.0.0/0")));
        ipam.put("dataDir", ipamDir.toString());
        Map<String, Object> bridge = new LinkedHashMap<>();
        bridge.put("type", "bridge");
        bridge.put("bridge", n.bridge());
        bridge.put("isGateway", !n.internal());
        bridge.put("ipMasq", iptables && !n.internal());
        bridge.put("hairpinMode", true);
        bridge.put("capabilities", Map.of("ips", true));
        bridge.put("ipam", ipam);
        List<Object> plugins = new ArrayList<>(List.of(bridge));
        if (iptables && portmap && cni.has("portmap")) plugins.add(Map.of("type", "portmap", "capabilities", Map.of("portMappings", true)));
        if (iptables && cni.has("firewall")) plugins.add(Map.of("type", "firewall"));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cniVersion", Cni.VERSION);
        c.put("name", n.bridge());
        c.put("plugins", plugins);
        return c;
    }

    /** The runtime config: ports for the first interface, the fixed address when one was asked for. */
    static Map<String, Object> runtimeConfig(UserNetwork n, Endpoint e, List<Object> portMappings) {
        Map<String, Object> rc = new LinkedHashMap<>();
        if (portMappings != null) rc.put("portMappings", portMappings);
        if (!e.ipv4Address().isEmpty()) {
            int ip = Ipv4.parse(e.ipv4Address(), "IPv4 address");
            Routes.Route subnet = Routes.Route.parse(n.subnet());
            if (!Ipv4.contains(subnet, ip)) throw AndockException.invalid("address " + e.ipv4Address() + " is not in network " + n.name() + "'s subnet " + n.subnet());
            rc.put("ips", List.of(Ipv4.format(ip) + "/" + subnet.prefix()));
        }
        return rc;
    }

    /** Adds {@code ifname} on {@code n} to the container's namespace; its DEL saved first as {@code att-<ifname>.sh}. */
    Attachment attach(String id, Path lease, Path netns, String ifname, UserNetwork n, Endpoint e, ContainerRecord r) {
        Map<String, Object> conflist = conflist(n, false);
        Map<String, Object> rc = runtimeConfig(n, e, null);
        Cni.Target t = new Cni.Target(id, netns, ifname);
        try {
            writeDel(lease, ifname, t, conflist, null, rc);
            Map<String, Object> result;
            try {
                result = cni.add(conflist, t, rc);
            } catch (RuntimeException failed) {
                detach(lease, ifname);
                throw failed;
            }
            writeDel(lease, ifname, t, conflist, result, rc);
            NetState s = NetState.fromCniResult(result, n.bridge(), netns, List.of(), "");
            return new Attachment(n.id(), n.name(), ifname, s.address(), s.prefixLen(), s.gateway(), s.mac(),
                    e.aliases(), BridgeNetworks.names(r, e));
        } catch (IOException ex) {
            throw AndockException.wrap("connect to network " + n.name(), ex);
        }
    }

    /** Runs and removes {@code att-<ifname>.sh}: the interface, its address and rules go. */
    static void detach(Path lease, String ifname) {
        Path script = lease.resolve("att-" + ifname + ".sh");
        if (!Files.isRegularFile(script)) return;
        io.andock.os.CommandRunner.failure(List.of(io.andock.os.HostTools.sh(), script.toString()), java.time.Duration.ofSeconds(120));
    }

    @SuppressWarnings("unchecked")
    private void writeDel(Path lease, String ifname, Cni.Target t, Map<String, Object> conflist, Map<String, Object> result,
                          Map<String, Object> rc) throws IOException {
        List<Map<String, Object>> plugins = new ArrayList<>((List<Map<String, Object>>) conflist.get("plugins"));
        Collections.reverse(plugins);
        List<Map.Entry<Path, Path>> dels = new ArrayList<>();
        for (int i = 0; i < plugins.size(); i++) {
            Path f = lease.resolve("att-" + ifname + "-del-" + i + ".json");
            Files.write(f, Json.writeBytes(Cni.pluginConfig(conflist, plugins.get(i), result, rc)));
            dels.add(Map.entry(cni.pluginDir().resolve((String) plugins.get(i).get("type")), f));
        }
        Path script = lease.resolve("att-" + ifname + ".sh");
        Path tmp = lease.resolve("att-" + ifname + ".sh.tmp");
        Files.writeString(tmp, Teardown.attachmentScript(cni.env("DEL", t), dels, script));
        Files.move(tmp, script, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The interfaces in use in a container's namespace: the first (eth0) always, then its attachments'. */
    static String nextIfname(ContainerDir dir) {
        List<String> used = new ArrayList<>(List.of("eth0"));
        for (Attachment a : Attachment.read(dir)) used.add(a.ifname());
        for (int i = 1; i < 16; i++) if (!used.contains("eth" + i)) return "eth" + i;
        throw AndockException.invalid("a container can be on at most 16 networks");
    }
}
