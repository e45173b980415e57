package io.andock.net;

import io.andock.container.ContainerDir;
import io.andock.os.ProcessLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Name resolution between containers on one user network, through their {@code /etc/hosts}: each container on a
 * user network gets, below a marker line, its peers' addresses with their names, aliases and short ids, and the
 * lines are rewritten in every attached container whenever one comes, goes, connects or disconnects.
 *
 * <p>Why hosts files rather than Docker's embedded DNS server at 127.0.0.11: a DNS server is a process per
 * network namespace (or a daemon) that must outlive the JVM, since andock's containers run without one; a hosts
 * file is read by every libc (glibc, musl, busybox) through {@code /etc/nsswitch.conf}'s {@code files}, works the
 * same under proot and chroot (where peers are on loopback), and andock already binds one into every container.
 * What it cannot do: a name of a container that is not running is not removed until the next change; round-robin
 * of several containers behind one alias resolves to the first; names outside the network (the host's DNS) go
 * through {@code resolv.conf} as before. The file is rewritten in place (same inode), so the bind mount sees it.
 */
final class PeerHosts {
    static final String MARKER = "# andock: peers on the container's networks (rewritten as they come and go)";

    private final Path containersDir;
    private final Path lock;

    PeerHosts(Path root) {
        this.containersDir = root.resolve("containers");
        this.lock = root.resolve("networks").resolve(".hosts.lock");
    }

    /** {@code hosts} with its peer block replaced by {@code lines} (none: the block removed). */
    static String withPeers(String hosts, List<String> lines) {
        int at = hosts.indexOf(MARKER);
        String base = at < 0 ? hosts : hosts.substring(0, at);
        if (!base.isEmpty() && !base.endsWith("\n")) base += "\n";
        if (lines.isEmpty()) return base;
        StringBuilder b = new StringBuilder(base).append(MARKER).append('\n');
        for (String l : lines) b.append(l).append('\n');
        return b.toString();
    }

    /** Rewrites the peer block of every container of this root that is attached to a user network. */
    void refresh() {
        try {
            Files.createDirectories(lock.getParent());
        } catch (IOException e) {
            return; // no networks directory: no user networks either
        }
        try (ProcessLock l = ProcessLock.exclusive(lock)) {
            Map<ContainerDir, List<Attachment>> all = attached();
            for (Map.Entry<ContainerDir, List<Attachment>> e : all.entrySet()) {
                rewrite(e.getKey(), lines(e.getKey(), e.getValue(), all));
            }
        }
    }

    /** The peer lines of {@code self}: every other container sharing one of its networks, one line per address. */
    static List<String> lines(ContainerDir self, List<Attachment> mine, Map<ContainerDir, List<Attachment>> all) {
        Set<String> networks = new HashSet<>();
        for (Attachment a : mine) networks.add(a.networkId());
        List<String> out = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (Map.Entry<ContainerDir, List<Attachment>> e : all.entrySet()) {
            if (e.getKey().path().equals(self.path())) continue;
            for (Attachment a : e.getValue()) {
                if (!networks.contains(a.networkId())) continue;
                List<String> names = new ArrayList<>();
                for (String n : a.names()) if (named.add(n)) names.add(n);
                if (!names.isEmpty()) out.add(a.address() + "\t" + String.join(" ", names));
            }
        }
        return out;
    }

    private Map<ContainerDir, List<Attachment>> attached() {
        Map<ContainerDir, List<Attachment>> out = new LinkedHashMap<>();
        try (var ds = Files.list(containersDir)) {
            for (Path d : ds.sorted().toList()) {
                if (d.getFileName().toString().startsWith(".")) continue;
                ContainerDir c = new ContainerDir(d);
                List<Attachment> a = Attachment.read(c);
                if (!a.isEmpty() && !PortProxyMain.over(d)) out.put(c, a);
            }
        } catch (IOException e) {
            // no containers
        }
        return out;
    }

    private static void rewrite(ContainerDir c, List<String> lines) {
        Path hosts = c.hosts();
        try {
            if (!Files.isRegularFile(hosts)) return;
            String old = Files.readString(hosts);
            String now = withPeers(old, lines);
            if (!now.equals(old)) Files.writeString(hosts, now); // in place: the container's bind mount keeps the inode
        } catch (IOException e) {
            // the container is being removed
        }
    }
}
