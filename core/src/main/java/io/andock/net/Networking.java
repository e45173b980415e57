package io.andock.net;

import io.andock.container.ContainerDir;
import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.os.ProcessLock;
import io.andock.task.ContainerNetworks;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerSpec;
import io.andock.driver.Driver;
import io.andock.os.HostTools;
import io.andock.container.PortBinding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * andock's container networks ({@link ContainerNetworks}):
 * <ul>
 * <li>{@code host}: the host's network; the only one for proot and chroot, and their default. {@code -p H:C} with
 *     H ≠ C runs the userspace {@link PortProxy} from H to {@code 127.0.0.1:C}; {@code -p C:C} needs nothing.
 * <li>{@code none}: a namespace of its own with only {@code lo} (oci driver); no ports.
 * <li>{@code bridge}: the oci driver's default as root with the CNI plugins installed: a namespace made before
 *     start under {@link #netnsDir}, CNI {@code loopback} on {@code lo} and the {@link Bridge} network every root
 *     of this machine shares on {@code eth0} (host-local addresses in {@code <hostDir>/ipam}, a {@link Leases lease}
 *     per container); ports through CNI {@code portmap} when iptables works, else through the proxy to the
 *     container's address.
 * <li>a user-defined network's name ({@link BridgeNetworks}): the same, on that network's own bridge and subnet,
 *     with further networks on {@code eth1}… ({@link NetworkAttacher}) and the peers' names in the hosts file
 *     ({@link PeerHosts}); where the driver shares the host's network, the host's network with peers on loopback.
 * </ul>
 * The host-wide state (the bridge's choice, addresses, leases) is in {@link #hostDir}, under its {@code lock}, which
 * every andock process of every root takes around a container's network start. A port another andock container
 * publishes (of any root, by its lease; of this root, by its {@code net/state.json}), or a host socket holds, is
 * refused before start with Docker's {@code Bind for 0.0.0.0:8080 failed: port is already allocated}. What a network
 * needs to be torn down is in the container's {@code net/} directory and its lease ({@link Teardown}, {@link NetState}).
 */
public final class Networking implements ContainerNetworks {
    /** The networks every host has; any other name is a user-defined network ({@link BridgeNetworks}). */
    public static final List<String> BUILTIN = List.of("host", "none", "bridge");

    private final Path root;
    private final Cni cni;
    /** Null until needed: asking spawns iptables (~10 ms), which only a bridge needs, not every run. */
    private Boolean iptables;
    private final Path netnsDir;
    private final Path hostDir;
    private final Leases leases;
    private final BridgeNetworks userNetworks;
    private NetworkAttacher attacher;

    /** This machine's networking for {@code root}: CNI where installed and this process is root, portmap if iptables works. */
    public Networking(Path root) {
        this(root, HostTools.isRoot() ? Cni.find() : null, null);
    }

    /** @param cni the plugins, or null for no bridge; @param iptables whether portmap and masquerading can be used */
    public Networking(Path root, Cni cni, boolean iptables) {
        this(root, cni, Boolean.valueOf(iptables));
    }

    private Networking(Path root, Cni cni, Boolean iptables) {
        this.root = root;
        this.cni = cni;
        this.iptables = iptables;
        boolean run = Files.isDirectory(Path.of("/run")) && HostTools.isRoot();
        this.netnsDir = run ? Path.of("/run/andock/netns") : root.resolve("run/netns");
        this.hostDir = hostDir(root);
        this.leases = new Leases(hostDir);
        this.userNetworks = new BridgeNetworks(root, hostDir);
    }

    private synchronized boolean iptables() {
        if (iptables == null) iptables = HostTools.isRoot() && Iptables.usable();
        return iptables;
    }

    private synchronized NetworkAttacher attacher() {
        if (attacher == null && cni != null) attacher = new NetworkAttacher(cni, hostDir, iptables());
        return attacher;
    }

    /** This root's user-defined networks. */
    public BridgeNetworks userNetworks() {
        return userNetworks;
    }

    /** Connect and disconnect of containers, running or not. */
    public NetworkConnector connector() {
        return new NetworkConnector(userNetworks, attacher(), leases, netnsDir);
    }

    /** A user network on a driver with the host's network (proot, chroot): peers are on loopback. */
    static boolean onLoopback(ContainerRecord r) {
        return !"oci".equals(r.driver());
    }

    /**
     * Where the state every root shares lives: as root {@code /run/andock/net} (a tmpfs: gone at reboot, like the
     * bridge), or the temporary directory's {@code andock-net} where there is no {@code /run} (Android); without root
     * (no bridge) {@code <root>/net}, for this root's port lock only.
     */
    static Path hostDir(Path root) {
        if (!HostTools.isRoot()) return root.resolve("net");
        if (Files.isDirectory(Path.of("/run"))) return Path.of("/run/andock/net");
        return Path.of(System.getProperty("java.io.tmpdir"), "andock-net");
    }

    /** The host-wide network directory ({@link #hostDir(Path)}). */
    public Path hostDir() {
        return hostDir;
    }

    public Path netnsDir() {
        return netnsDir;
    }

    @Override
    public Plan plan(String containerId, ContainerSpec spec, Driver driver) {
        boolean ns = driver.features().netNamespace();
        String mode = spec.networkMode() != null ? spec.networkMode()
                : ns && !driver.features().rootless() && cni != null ? "bridge" : "host";
        if (!BUILTIN.contains(mode)) return planUser(containerId, spec, driver, mode);
        ContainerNetworks.requireNamespaces(mode, driver);
        if (mode.equals("bridge") && cni == null) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED, "--network bridge needs root and the CNI plugins "
                    + "(bridge, host-local, loopback in one of " + Cni.DIRS + "); use --network host");
        }
        if (mode.equals("none") && !spec.ports().isEmpty()) {
            throw AndockException.invalid("conflicting options: port publishing and --network none");
        }
        List<PortBinding> ports = new ArrayList<>();
        for (PortBinding p : spec.ports()) {
            int hp = p.hostPort() != 0 ? p.hostPort() : mode.equals("host") ? p.containerPort() : HostPorts.freePort(p);
            ports.add(new PortBinding(p.hostIp(), hp, p.containerPort(), p.protocol()));
        }
        return new Plan(mode, ports, mode.equals("bridge") ? netnsDir.resolve(containerId) : null);
    }

    /**
     * A user network: its own bridge where the driver has network namespaces (and CNI as root); on the host's network
     * otherwise (proot, chroot), where its containers' names resolve to loopback and ports are published as on host.
     */
    private Plan planUser(String containerId, ContainerSpec spec, Driver driver, String asked) {
        String mode = userNetworks.find(asked).name(); // recorded by name, also when given by id
        boolean ns = driver.features().netNamespace();
        if (ns && (cni == null || driver.features().rootless())) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED, "--network " + mode + ": user-defined networks need root and "
                    + "the CNI plugins (bridge, host-local, loopback in one of " + Cni.DIRS + "); use --network host");
        }
        List<PortBinding> ports = new ArrayList<>();
        for (PortBinding p : spec.ports()) {
            int hp = p.hostPort() != 0 ? p.hostPort() : !ns ? p.containerPort() : HostPorts.freePort(p);
            ports.add(new PortBinding(p.hostIp(), hp, p.containerPort(), p.protocol()));
        }
        return new Plan(mode, ports, ns ? netnsDir.resolve(containerId) : null);
    }

    @Override
    public Path up(String containerId, ContainerDir containerDir, ContainerRecord r) {
        Path dir = containerDir.path();
        String mode = r.spec().networkMode() == null ? "host" : r.spec().networkMode();
        List<PortBinding> ports = r.spec().ports();
        boolean user = !BUILTIN.contains(mode);
        if (mode.equals("none") || (mode.equals("host") && ports.stream().allMatch(p -> p.hostPort() == p.containerPort()) && ports.isEmpty())) {
            return null;
        }
        Path net = containerDir.net();
        try {
            Files.createDirectories(net);
        } catch (IOException e) {
            throw AndockException.wrap("network of " + containerId, e);
        }
        Teardown t = Teardown.empty(net);
        writeScript(t);
        // in-JVM and cross-process, and host-wide: the daemon starts many containers at once, other roots share the
        // bridge and the host ports; a plain FileChannel.lock throws OverlappingFileLockException when two threads
        // of one JVM take it. As root the directory is checked first: its lease scripts are run as root
        try (ProcessLock l = ProcessLock.exclusive((HostTools.isRoot() ? HostDir.ensure(hostDir) : hostDir).resolve("lock"))) {
            leases.sweep();
            checkFree(dir, ports);
            NetState state = mode.equals("bridge") || (user && !onLoopback(r)) ? bridgeUp(containerId, dir, r, ports, t) : hostUp(dir, ports);
            state.write(net);
            if (user && onLoopback(r)) {
                for (Endpoint e : userNetworks.endpoints(containerDir, r)) {
                    UserNetwork n = userNetworks.find(e.network());
                    new Attachment(n.id(), n.name(), "lo", "127.0.0.1", 8, "", "", e.aliases(), BridgeNetworks.names(r, e)).write(containerDir);
                }
            }
        } catch (IOException e) {
            down(containerDir);
            throw AndockException.wrap("network of " + containerId, e);
        } catch (RuntimeException e) {
            down(containerDir);
            throw e;
        }
        if (user || !Attachment.read(containerDir).isEmpty()) userNetworks.refreshPeers();
        return net.resolve("down.sh");
    }

    private NetState hostUp(Path dir, List<PortBinding> ports) {
        List<PortRule> rules = new ArrayList<>();
        for (PortBinding p : ports) {
            if (p.hostPort() != p.containerPort()) rules.add(new PortRule(p.protocol(), p.hostIp(), p.hostPort(), "127.0.0.1", p.containerPort()));
        }
        if (!rules.isEmpty()) startProxy(dir, rules);
        return new NetState("host", "", "", 0, "", "", "", ports, rules.isEmpty() ? "" : "proxy");
    }

    private NetState bridgeUp(String id, Path dir, ContainerRecord r, List<PortBinding> ports, Teardown t) throws IOException {
        Path ns = netnsDir.resolve(id);
        ContainerDir cdir = new ContainerDir(dir);
        List<Endpoint> endpoints = userNetworks.endpoints(cdir, r);
        // taken off its NetworkMode's network while stopped: on the default bridge, with its other networks
        boolean onPrimary = !BUILTIN.contains(r.spec().networkMode()) && !Endpoint.primaryDetached(cdir);
        UserNetwork primary = onPrimary ? userNetworks.find(endpoints.get(0).network()) : null;
        if (primary != null) userNetworks.claims().reclaim(primary, root);
        Bridge bridge = primary == null ? Bridge.shared(hostDir, leases) : null;
        Path lease = leases.create(id, dir, ports);
        t = t.withLease(lease).withNetns(ns);
        writeScript(t);
        Netns.create(ns);
        boolean portmap = iptables() && cni.has("portmap") && !ports.isEmpty();
        Map<String, Object> conflist = primary != null ? attacher().conflist(primary, portmap)
                : bridge.conflist(hostDir.resolve("ipam"), iptables(), portmap, iptables() && cni.has("firewall"));
        Map<String, Object> runtimeConfig = primary != null ? NetworkAttacher.runtimeConfig(primary, endpoints.get(0), portMappings(ports))
                : Map.of("portMappings", portMappings(ports));
        Cni.Target eth0 = new Cni.Target(id, ns, "eth0");
        // the DEL configs are saved before ADD: a failed ADD is undone by the same script
        t = t.withCni(cni.env("DEL", eth0), delConfigs(lease, conflist, null, runtimeConfig));
        writeScript(t);
        cni.add(Bridge.loopback(), new Cni.Target(id, ns, "lo"), Map.of());
        Map<String, Object> result = cni.add(conflist, eth0, runtimeConfig);
        t = t.withCni(cni.env("DEL", eth0), delConfigs(lease, conflist, result, runtimeConfig));
        writeScript(t);
        NetState s = NetState.fromCniResult(result, primary != null ? primary.bridge() : bridge.name(), ns, ports,
                ports.isEmpty() ? "" : portmap ? "portmap" : "proxy");
        if (primary != null) {
            Endpoint e = endpoints.get(0);
            new Attachment(primary.id(), primary.name(), "eth0", s.address(), s.prefixLen(), s.gateway(), s.mac(), e.aliases(),
                    BridgeNetworks.names(r, e)).write(cdir);
        }
        for (Endpoint more : endpoints.subList(primary == null ? 0 : 1, endpoints.size())) {
            UserNetwork n = userNetworks.find(more.network());
            userNetworks.claims().reclaim(n, root);
            attacher().attach(id, lease, ns, NetworkAttacher.nextIfname(cdir), n, more, r).write(cdir);
        }
        Path hosts = new ContainerDir(dir).hosts();
        // the last run's peer block goes first: the own address line must stay above it (PeerHosts rewrites below it)
        if (Files.isRegularFile(hosts)) {
            Files.writeString(hosts, HostsFile.withAddress(PeerHosts.withPeers(Files.readString(hosts), List.of()), s.address(), r.hostname()));
        }
        if (!ports.isEmpty() && !portmap) {
            List<PortRule> rules = new ArrayList<>();
            for (PortBinding p : ports) rules.add(new PortRule(p.protocol(), p.hostIp(), p.hostPort(), s.address(), p.containerPort()));
            startProxy(dir, rules);
        }
        return s;
    }

    /** DEL configs, one file per plugin, in the order DEL runs them (reverse of the list). */
    @SuppressWarnings("unchecked")
    private List<Map.Entry<Path, Path>> delConfigs(Path into, Map<String, Object> conflist, Map<String, Object> result,
                                                   Map<String, Object> runtimeConfig) throws IOException {
        List<Map<String, Object>> plugins = new ArrayList<>((List<Map<String, Object>>) conflist.get("plugins"));
        java.util.Collections.reverse(plugins);
        List<Map.Entry<Path, Path>> out = new ArrayList<>();
        for (int i = 0; i < plugins.size(); i++) {
            Path f = into.resolve("del-" + i + ".json");
            Files.write(f, Json.writeBytes(Cni.pluginConfig(conflist, plugins.get(i), result, runtimeConfig)));
            out.add(Map.entry(cni.pluginDir().resolve((String) plugins.get(i).get("type")), f));
        }
        return out;
    }

    private static List<Object> portMappings(List<PortBinding> ports) {
        List<Object> out = new ArrayList<>();
        for (PortBinding p : ports) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hostPort", (long) p.hostPort());
            m.put("containerPort", (long) p.containerPort());
            m.put("protocol", p.protocol());
            if (!p.hostIp().isEmpty()) m.put("hostIP", p.hostIp());
            out.add(m);
        }
        return out;
    }

    private static void startProxy(Path dir, List<PortRule> rules) {
        Path net = new ContainerDir(dir).net();
        long pid = ProxyProcess.start(dir, rules, net.resolve("proxy.log"));
        try {
            Files.writeString(net.resolve("proxy.pid"), pid + "\n");
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            throw AndockException.wrap("write proxy pid", e);
        }
    }

    /** The lease's script first: the container's calls it. */
    private static void writeScript(Teardown t) {
        if (t.lease() != null) writeAtomically(t.lease().resolve("down.sh"), t.leaseScript());
        writeAtomically(t.netDir().resolve("down.sh"), t.script());
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("write " + file, e);
        }
    }

    @Override
    public void down(ContainerDir dir) {
        Path script = dir.net().resolve("down.sh");
        try {
            if (Files.isRegularFile(script)) runDown(script);
        } finally {
            // also when its monitor already undid the network at exit: peers still name it until this rewrite
            if (Files.isRegularFile(Endpoint.file(dir)) || !userNetworks.list().isEmpty()) userNetworks.refreshPeers();
        }
    }

    private static void runDown(Path script) {
        try {
            Process p = new ProcessBuilder(HostTools.sh(), script.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        } catch (IOException e) {
            throw AndockException.wrap("tear down the network: " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Map<String, Object> settings(ContainerDir dir, ContainerRecord r) {
        NetState s = NetState.readOrNull(dir.net());
        String mode = r.spec().networkMode() == null ? "host" : r.spec().networkMode();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Bridge", s == null ? "" : s.bridge());
        m.put("SandboxKey", s == null ? "" : s.sandboxKey());
        m.put("Ports", ContainerNetworks.dockerPorts(r));
        m.put("Gateway", s == null ? "" : s.gateway());
        m.put("IPAddress", s == null ? "" : s.address());
        m.put("IPPrefixLen", s == null ? 0L : (long) s.prefixLen());
        m.put("MacAddress", s == null ? "" : s.mac());
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("Gateway", m.get("Gateway"));
        n.put("IPAddress", m.get("IPAddress"));
        n.put("IPPrefixLen", m.get("IPPrefixLen"));
        n.put("MacAddress", m.get("MacAddress"));
        Map<String, Object> networks = new LinkedHashMap<>();
        if (BUILTIN.contains(mode)) networks.put(mode, n);
        networks.putAll(userNetworks.settings(dir, r));
        m.put("Networks", networks);
        if (!BUILTIN.contains(mode)) {
            if (onLoopback(r)) {
                m.put("IPAddress", "");
                m.put("IPPrefixLen", 0L);
            }
        }
        return m;
    }

    /**
     * Refuses ports that another running container of this root, or a container of any root on the shared bridge
     * (its lease), publishes, or a host socket holds. A container whose network is still up though it exited (its
     * monitor was killed) is torn down on the way.
     */
    private void checkFree(Path self, List<PortBinding> ports) {
        if (ports.isEmpty()) return;
        List<PortBinding> leased = leases.portsInUse(self);
        for (PortBinding p : ports) {
            for (PortBinding q : leased) {
                if (HostPorts.clash(p, q)) throw AndockException.conflict(PortRule.allocatedMessage(p.hostIp(), p.hostPort()));
            }
        }
        try (var ds = Files.list(root.resolve("containers"))) {
            for (Path other : (Iterable<Path>) ds::iterator) {
                if (other.equals(self) || other.getFileName().toString().startsWith(".")) continue;
                ContainerDir o = new ContainerDir(other);
                NetState s = NetState.readOrNull(o.net());
                if (s == null || s.ports().isEmpty()) continue;
                if (PortProxyMain.over(other) && Files.exists(o.pid()) || Files.exists(o.exit())) {
                    down(o);
                    continue;
                }
                for (PortBinding p : ports) {
                    for (PortBinding q : s.ports()) {
                        if (HostPorts.clash(p, q)) {
                            throw AndockException.conflict(PortRule.allocatedMessage(p.hostIp(), p.hostPort()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            // no containers dir yet
        }
        for (PortBinding p : ports) {
            if (!HostPorts.bindable(p)) throw AndockException.conflict(PortRule.allocatedMessage(p.hostIp(), p.hostPort()));
        }
    }
}
