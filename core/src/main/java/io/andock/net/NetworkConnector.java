package io.andock.net;

import io.andock.AndockException;
import io.andock.container.ContainerDir;
import io.andock.container.ContainerRecord;
import io.andock.container.ContainerStore;
import io.andock.os.ProcessLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code network connect} and {@code disconnect}. A stopped container only has its endpoints changed (used at its
 * next start); a running one also gets the interface added or removed at once ({@link NetworkAttacher}) and its
 * peers' hosts files rewritten. Under proot and chroot (the host's network) only the names change. The primary
 * network (its {@code NetworkMode}) of a container cannot be left: the record says where it starts.
 */
public final class NetworkConnector {
    private final BridgeNetworks networks;
    private final NetworkAttacher attacher;
    private final Leases leases;
    private final Path netnsDir;
    private final ContainerStore containers;

    NetworkConnector(BridgeNetworks networks, NetworkAttacher attacher, Leases leases, Path netnsDir) {
        this.networks = networks;
        this.attacher = attacher;
        this.leases = leases;
        this.netnsDir = netnsDir;
        this.containers = new ContainerStore(networks.root());
    }

    public void connect(String network, String containerRef, Endpoint wanted) {
        String id = containers.resolve(containerRef);
        try (ProcessLock c = containers.lock(id); ProcessLock l = networks.hostLock()) {
            UserNetwork n = networks.find(network);
            Endpoint e = new Endpoint(n.name(), wanted.aliases(), wanted.ipv4Address());
            ContainerRecord r = containers.record(id);
            ContainerDir dir = containers.dir(id);
            String mode = r.spec().networkMode() == null ? "host" : r.spec().networkMode();
            if (mode.equals("host") || mode.equals("none")) {
                throw AndockException.invalid("container cannot be disconnected from host network or connected to host network");
            }
            List<Endpoint> all = networks.endpoints(dir, r);
            if (all.stream().anyMatch(x -> x.network().equals(n.name()))) {
                throw new AndockException(AndockException.Kind.CONFLICT, "endpoint with name " + r.name().replaceFirst("^/", "")
                        + " already exists in network " + n.name());
            }
            List<Endpoint> recorded = new ArrayList<>(Endpoint.read(dir));
            boolean primary = n.name().equals(r.spec().networkMode());
            if (primary) recorded.add(0, e); else recorded.add(e);
            if (containers.state(id).running() && Files.isRegularFile(dir.net().resolve("down.sh"))) {
                if (primary) {
                    throw new AndockException(AndockException.Kind.UNSUPPORTED, "andock can put a running container back on "
                            + n.name() + ", the network it was created on, only at its next start");
                } else if (Networking.onLoopback(r)) {
                    new Attachment(n.id(), n.name(), "lo", "127.0.0.1", 8, "", "", e.aliases(), BridgeNetworks.names(r, e)).write(dir);
                } else {
                    if (attacher == null) throw new AndockException(AndockException.Kind.UNSUPPORTED, "network connect needs the CNI plugins");
                    networks.claims().reclaim(n, networks.root());
                    attacher.attach(id, leases.of(id), netnsDir.resolve(id), NetworkAttacher.nextIfname(dir), n, e, r).write(dir);
                }
            }
            Endpoint.write(dir, recorded, !primary && Endpoint.primaryDetached(dir));
            networks.refreshPeers();
        }
    }

    public void disconnect(String network, String containerRef, boolean force) {
        String id = containers.resolve(containerRef);
        try (ProcessLock c = containers.lock(id); ProcessLock l = networks.hostLock()) {
            UserNetwork n = networks.findOrNull(network);
            ContainerRecord r = containers.record(id);
            ContainerDir dir = containers.dir(id);
            String name = n != null ? n.name() : network;
            boolean primary = name.equals(r.spec().networkMode());
            if (primary && containers.state(id).running()) {
                throw new AndockException(AndockException.Kind.UNSUPPORTED, "andock cannot take running container " + r.name().replaceFirst("^/", "")
                        + " off " + name + ", the network it was created on (its NetworkMode); stop it first");
            }
            List<Endpoint> recorded = new ArrayList<>(Endpoint.read(dir));
            boolean was = networks.endpoints(dir, r).stream().anyMatch(e -> e.network().equals(name));
            recorded.removeIf(e -> e.network().equals(name));
            if (!was) {
                if (force) return;
                throw AndockException.invalid("container " + r.name().replaceFirst("^/", "") + " is not connected to network " + name);
            }
            for (Attachment a : Attachment.read(dir)) {
                if (!a.network().equals(name)) continue;
                if (!a.ifname().equals("lo")) NetworkAttacher.detach(leases.of(id), a.ifname());
                try {
                    Files.deleteIfExists(Attachment.file(dir, a.ifname()));
                } catch (java.io.IOException ex) {
                    throw AndockException.wrap("disconnect " + r.name() + " from " + name, ex);
                }
            }
            Endpoint.write(dir, recorded, primary || Endpoint.primaryDetached(dir));
            networks.refreshPeers();
        }
    }
}
