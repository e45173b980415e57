package io.andock.net;

import io.andock.json.JsonObject;
import io.andock.os.FileTrees;
import io.andock.task.Attach;
import io.andock.container.ContainerRootfs;
import io.andock.task.ContainerService;
import io.andock.container.ContainerSpec;
import io.andock.container.ContainerState;
import io.andock.driver.Drivers;
import io.andock.os.HostTools;
import io.andock.container.TestImages;
import io.andock.driver.oci.OciDriver;
import io.andock.driver.oci.OciRuntime;
import io.andock.container.TreeCopy;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Many andock roots on one host share one bridge: real runc containers, the real CNI plugins and iptables, as root.
 * Every container a test makes is tracked (id, host veth) and checked gone from the host at the end: no lease, no
 * address, no veth, no iptables rule naming it. The shared bridge itself stays, as docker0 does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedBridgeTest {
    Path tmp;
    final Set<String> ids = ConcurrentHashMap.newKeySet();
    final Set<String> veths = ConcurrentHashMap.newKeySet();

    /** One andock root: its own store and runc state, the host's networking. */
    record Root(Path dir, Networking net, ContainerService svc, Path runcState) {}

    @BeforeAll
    void setUp(@TempDir Path tmp) {
        assumeTrue(HostTools.isRoot() && HostTools.find("runc") != null && Cni.find() != null,
                "the shared bridge needs root, runc and the CNI plugins");
        this.tmp = tmp;
    }

    Root root(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Path runc = Files.createDirectories(tmp.resolve(name + "-runc"));
        Networking net = new Networking(dir);
        Drivers drivers = new Drivers("oci", new OciDriver(new OciRuntime("runc", Path.of(HostTools.find("runc")), runc, false), true, null));
        return new Root(dir, net, new ContainerService(dir, TestImages.shared(), drivers, net), runc);
    }

    /** A detached container of {@code r} on the bridge; its id and host veth are tracked for the final check. */
    String run(Root r, ContainerSpec.Builder spec) throws IOException {
        String id = r.svc().runDetached(spec.driver("oci").build());
        ids.add(id);
        veths.add(hostVeth(r.net().hostDir().resolve("leases/" + id)));
        return id;
    }

    @Test
    void twentyRoots_startAtOnce_onOneBridge_withDistinctAddresses_andRmReleasesEveryLease() throws Exception {
        int n = 20;
        List<Root> roots = new ArrayList<>();
        for (int i = 0; i < n; i++) roots.add(root("many-" + i));
        Set<String> bridgesBefore = andockLinks();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> started = new ArrayList<>();
        for (Root r : roots) {
            started.add(pool.submit(() -> {
                go.await();
                return run(r, ContainerSpec.builder("busybox").cmd("sleep", "300"));
            }));
        }
        go.countDown();
        List<String> mine = new ArrayList<>();
        try {
            for (Future<String> f : started) mine.add(f.get(300, TimeUnit.SECONDS));
            Bridge shared = Bridge.read(roots.get(0).net().hostDir().resolve("bridge.json"));
            Set<String> addresses = new HashSet<>();
            for (int i = 0; i < n; i++) {
                Map<String, Object> ns = networkSettings(roots.get(i), mine.get(i));
                assertThat(ns.get("Bridge")).isEqualTo(shared.name());
                String ip = (String) ns.get("IPAddress");
                assertThat(Bridge.collides(ip + "/32", List.of(Routes.Route.parse(shared.subnet())))).as(ip).isTrue();
                addresses.add(ip);
                assertThat(Leases.owner(roots.get(i).net().hostDir().resolve("leases/" + mine.get(i))))
                        .isEqualTo(roots.get(i).dir().resolve("containers/" + mine.get(i)).toAbsolutePath());
            }
            assertThat(addresses).hasSize(n);
            Set<String> made = andockLinks();
            made.removeAll(bridgesBefore);
            assertThat(made).as("bridges made besides the shared one").isSubsetOf(shared.name());
        } finally {
            pool.shutdownNow();
            for (int i = 0; i < mine.size(); i++) roots.get(i).svc().remove(mine.get(i), true, true);
        }
        for (int i = 0; i < mine.size(); i++) assertReleased(roots.get(i).net(), mine.get(i));
    }

    @Test
    void containersOfTwoRoots_reachEachOther_asOnDockersDefaultBridge() throws Exception {
        Root a = root("reach-a"), b = root("reach-b");
        String server = run(a, ContainerSpec.builder("busybox:configured"));
        try {
            String ip = (String) networkSettings(a, server).get("IPAddress");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = b.svc().run(ContainerSpec.builder("busybox").driver("oci").autoRemove(true)
                    .cmd("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + ip
                            + " 8080 >/tmp/r && grep -q '^HTTP/1' /tmp/r && sed '1,/^\\r*$/d' /tmp/r && exit 0; sleep 1; done; exit 1")
                    .build(), Attach.streams(null, out, err));
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).isEqualTo(NetworkingTest.HELLO);
        } finally {
            a.svc().remove(server, true, true);
        }
        assertReleased(a.net(), server);
    }

    @Test
    void portsFromTwoRoots_onDifferentHostPorts_bothAnswer_andOneHostPortIsNotGivenTwice() throws Exception {
        Root a = root("ports-a"), b = root("ports-b");
        int ha = NetworkingTest.free(), hb = NetworkingTest.free();
        String ca = run(a, ContainerSpec.builder("busybox:configured").publish(ha + ":8080"));
        String cb = run(b, ContainerSpec.builder("busybox:configured").publish(hb + ":8080"));
        try {
            assertThat(NetworkingTest.get(ha)).isEqualTo(NetworkingTest.HELLO);
            assertThat(NetworkingTest.get(hb)).isEqualTo(NetworkingTest.HELLO);
            // portmap binds no socket: only a's lease tells b the port is taken
            String again = b.svc().create(ContainerSpec.builder("busybox:configured").driver("oci").publish(ha + ":8080").build());
            assertThatThrownBy(() -> b.svc().start(again)).hasMessage("Bind for 0.0.0.0:" + ha + " failed: port is already allocated");
            b.svc().remove(again, true, true);
            assertThat(NetworkingTest.get(ha)).isEqualTo(NetworkingTest.HELLO);
        } finally {
            a.svc().remove(ca, true, true);
            b.svc().remove(cb, true, true);
        }
        assertReleased(a.net(), ca);
        assertReleased(b.net(), cb);
    }

    @Test
    void leaseOfADeletedRoot_isSweptAtTheNextStart_ofAnyRoot() throws Exception {
        Root gone = root("deleted"), next = root("next");
        String id = run(gone, ContainerSpec.builder("busybox").cmd("sleep", "300"));
        String ip = (String) networkSettings(gone, id).get("IPAddress");
        String veth = hostVeth(gone.net().hostDir().resolve("leases/" + id));
        crash(gone, id);
        ContainerRootfs.unmountAll(gone.dir().resolve("containers/" + id));
        FileTrees.removeTree(gone.dir());
        assertThat(gone.net().hostDir().resolve("leases/" + id)).exists();
        assertThat(Path.of("/sys/class/net", veth)).exists();

        String other = run(next, ContainerSpec.builder("busybox").cmd("sleep", "300"));
        try {
            assertReleased(gone.net(), id);
            assertThat(ipamFiles(gone.net())).doesNotContain(ip);
        } finally {
            next.svc().remove(other, true, true);
        }
        assertReleased(next.net(), other);
    }

    @Test
    void killMinus9_leavesALease_thatTheNextStartSweeps_butALiveContainersLeaseIsKept() throws Exception {
        Root r = root("crash");
        String crashed = run(r, ContainerSpec.builder("busybox").cmd("sleep", "300"));
        String alive = run(r, ContainerSpec.builder("busybox").cmd("sleep", "300"));
        // the monitor of `alive` dies (kill -9) but its container lives on: its network is still in use
        ProcessHandle.of(monitorPid(r, alive)).ifPresent(ProcessHandle::destroyForcibly);
        crash(r, crashed);
        String next = run(r, ContainerSpec.builder("busybox").cmd("sleep", "300"));
        try {
            assertReleased(r.net(), crashed);
            assertThat(r.net().hostDir().resolve("leases/" + alive)).exists();
            assertThat(Path.of("/sys/class/net", hostVeth(r.net().hostDir().resolve("leases/" + alive)))).exists();
        } finally {
            for (String id : List.of(crashed, alive, next)) r.svc().remove(id, true, true);
        }
        for (String id : List.of(crashed, alive, next)) assertReleased(r.net(), id);
    }

    @Test
    void olderAndocksPerRootBridges_idleOnesAreRemoved_busyOnesKept() throws Exception {
        try {
            ip("link", "add", "andock97", "type", "bridge");
            ip("link", "add", "andock98", "type", "bridge");
            ip("link", "add", "andtst98", "type", "veth", "peer", "name", "andtst98p");
            ip("link", "set", "andtst98", "master", "andock98");
            Files.createDirectories(LegacyBridges.CLAIMS);
            Files.writeString(LegacyBridges.CLAIMS.resolve("andock97"), tmp.resolve("old-root/net/bridge.json").toString());
            LegacyBridges.removeIdle(List.of("andock97", "andock98", "eth0", "lo"));
            assertThat(Path.of("/sys/class/net/andock97")).doesNotExist();
            assertThat(LegacyBridges.CLAIMS.resolve("andock97")).doesNotExist();
            assertThat(Path.of("/sys/class/net/andock98")).exists();
            assertThat(Path.of("/sys/class/net/eth0")).exists();
        } finally {
            Cmd.exec(List.of("ip", "link", "del", "andtst98"));
            Cmd.exec(List.of("ip", "link", "del", "andock98"));
            Cmd.exec(List.of("ip", "link", "del", "andock97"));
        }
    }

    @Test
    void recordedSubnet_takenMeanwhileByAHostRoute_isChosenAgain_unlessContainersUseIt() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("host-net"));
        try {
            ip("link", "add", "andtst97", "type", "bridge"); // any link: this kernel may lack the dummy module
            ip("addr", "add", "10.97.5.1/24", "dev", "andtst97");
            ip("link", "set", "andtst97", "up");
            Files.writeString(host.resolve("bridge.json"), "{\"Bridge\":\"andock96\",\"Subnet\":\"10.97.0.0/16\"}");
            Files.createDirectories(host.resolve("leases/0123abcd"));
            assertThat(Bridge.shared(host, new Leases(host))).as("a container still uses it").isEqualTo(new Bridge("andock96", "10.97.0.0/16"));
            Files.delete(host.resolve("leases/0123abcd"));
            Bridge again = Bridge.shared(host, new Leases(host));
            assertThat(again.subnet()).isNotEqualTo("10.97.0.0/16");
            assertThat(Bridge.collides(again.subnet(), Routes.read())).isFalse();
            assertThat(Bridge.read(host.resolve("bridge.json"))).isEqualTo(again);
        } finally {
            Cmd.exec(List.of("ip", "link", "del", "andtst97"));
        }
    }

    @Test
    void aPortThatABridgedContainerOfOneRootPublishes_isRefusedToEveryDriverOfAnother() throws Exception {
        Root a = root("cross-a");
        int h = NetworkingTest.free();
        String ca = run(a, ContainerSpec.builder("busybox:configured").publish(h + ":8080"));
        Path b = tmp.resolve("cross-b");
        Networking net = new Networking(b);
        List<io.andock.driver.Driver> ds = new ArrayList<>(List.of(new io.andock.driver.ChrootDriver()));
        if (HostTools.find("proot") != null) ds.add(new io.andock.driver.ProotDriver());
        ContainerService svc = new ContainerService(b, TestImages.shared(), new Drivers("chroot", ds.toArray(new io.andock.driver.Driver[0])), net);
        try {
            for (io.andock.driver.Driver d : ds) {
                for (String publish : List.of(h + ":8080", "127.0.0.1:" + h + ":8081")) {
                    String c = svc.create(ContainerSpec.builder("busybox").driver(d.name()).cmd("sleep", "60").publish(publish).build());
                    assertThatThrownBy(() -> svc.start(c)).as(d.name() + " -p " + publish)
                            .hasMessageEndingWith(":" + h + " failed: port is already allocated");
                    svc.remove(c, true, true);
                }
            }
        } finally {
            a.svc().remove(ca, true, true);
        }
        assertReleased(a.net(), ca);
        // released: the other root may take it now
        int inner = NetworkingTest.free();
        String c = svc.runDetached(ContainerSpec.builder("busybox:configured").driver("chroot")
                .cmd("-p", Integer.toString(inner), "-h", "/www").publish(h + ":" + inner).build());
        try {
            assertThat(NetworkingTest.get(h)).isEqualTo(NetworkingTest.HELLO);
        } finally {
            svc.remove(c, true, true);
        }
    }

    private static void ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        Cmd.exec(argv).check();
    }

    @AfterAll
    void nothingLeftOnTheHost() {
        if (tmp == null) return;
        String rules = Cmd.exec(List.of("iptables-save")).stdout();
        for (String id : ids) {
            assertThat(rules).as("iptables rules of " + id).doesNotContain(id);
            assertThat(Path.of("/run/andock/netns", id)).doesNotExist();
        }
        for (String v : veths) assertThat(Path.of("/sys/class/net", v)).as("veth " + v).doesNotExist();
        assertNoTraces(tmp);
    }

    /** No lease on the host belongs to a container under {@code root} (every test's @AfterAll asks this). */
    static void assertNoTraces(Path root) {
        Leases leases = new Leases(Networking.hostDir(root));
        for (Path l : leases.list()) {
            Path owner = Leases.owner(l);
            assertThat(owner == null ? "" : owner.toString()).as("lease " + l).doesNotStartWith(root.toAbsolutePath().toString());
        }
    }

    /** Kills the container's monitor, then its process, with SIGKILL: its teardown never runs. */
    private static void crash(Root r, String id) throws Exception {
        ProcessHandle.of(monitorPid(r, id)).ifPresent(ProcessHandle::destroyForcibly);
        long pid = Long.parseLong(Files.readString(r.dir().resolve("containers/" + id + "/pid")).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) Thread.sleep(20);
        Cmd.exec(List.of(HostTools.find("runc"), "--root", r.runcState().toString(), "delete", "-f", id));
    }

    private static long monitorPid(Root r, String id) throws IOException {
        return ContainerState.fromJson(JsonObject.parse(Files.readAllBytes(r.dir().resolve("containers/" + id + "/state.json")))).monitorPid();
    }

    /** The container's lease, address, namespace, veth and iptables rules are gone. */
    private void assertReleased(Networking net, String id) {
        assertThat(net.hostDir().resolve("leases/" + id)).doesNotExist();
        assertThat(Path.of("/run/andock/netns", id)).doesNotExist();
        assertThat(Cmd.exec(List.of("iptables-save")).stdout()).doesNotContain(id);
        for (Path f : ipamFilePaths(net)) {
            try {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(id);
            } catch (IOException e) {
                // released meanwhile
            }
        }
    }

    private static List<String> ipamFiles(Networking net) {
        return ipamFilePaths(net).stream().map(p -> p.getFileName().toString()).toList();
    }

    private static List<Path> ipamFilePaths(Networking net) {
        try (var ds = Files.list(net.hostDir().resolve("ipam/andock"))) {
            return ds.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The host end of the container's veth, from the CNI result kept in its lease's DEL configs. */
    @SuppressWarnings("unchecked")
    static String hostVeth(Path lease) throws IOException {
        try (var ds = Files.list(lease)) {
            for (Path f : ds.filter(p -> p.getFileName().toString().startsWith("del-")).toList()) {
                JsonObject prev = JsonObject.parse(Files.readAllBytes(f)).object("prevResult");
                if (prev == null) continue;
                for (Object i : prev.list("interfaces")) {
                    Map<String, Object> iface = (Map<String, Object>) i;
                    if (iface.get("sandbox") == null && String.valueOf(iface.get("name")).startsWith("veth")) return (String) iface.get("name");
                }
            }
        }
        throw new AssertionError("no host veth in " + lease);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> networkSettings(Root r, String id) {
        return (Map<String, Object>) r.svc().inspect(id).get("NetworkSettings");
    }

    private static Set<String> andockLinks() {
        Set<String> out = new HashSet<>();
        for (String l : Routes.links()) if (l.startsWith("andock")) out.add(l);
        return out;
    }
}
