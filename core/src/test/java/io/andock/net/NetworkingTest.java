package io.andock.net;

import io.andock.AndockException;
import io.andock.task.Attach;
import io.andock.driver.ChrootDriver;
import io.andock.task.ContainerService;
import io.andock.container.ContainerSpec;
import io.andock.driver.Driver;
import io.andock.driver.Drivers;
import io.andock.os.HostTools;
import io.andock.container.ListOptions;
import io.andock.driver.ProotDriver;
import io.andock.container.TestImages;
import io.andock.driver.oci.OciDriver;
import io.andock.driver.oci.OciRuntime;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real containers answering on real sockets: busybox httpd ({@code busybox:configured}) through {@code -p} with
 * every driver; proot with and without root, chroot and oci (runc) as root only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkingTest {
    static final String HELLO = "hello from andock busybox:configured\n";
    Path root;
    ContainerService svc;
    Networking net;
    Drivers drivers;
    boolean oci;

    @BeforeAll
    void setUp(@TempDir Path tmp) throws IOException {
        assumeTrue(HostTools.find("proot") != null, "proot is not installed");
        TestImages images = TestImages.shared();
        root = tmp.resolve("andock");
        oci = HostTools.isRoot() && HostTools.find("runc") != null && Cni.find() != null;
        Driver[] ds = oci
                ? new Driver[]{new ProotDriver(), new ChrootDriver(), new OciDriver(new OciRuntime("runc",
                        Path.of(HostTools.find("runc")), Files.createDirectories(tmp.resolve("runc")), false), true, null)}
                : new Driver[]{new ProotDriver(), new ChrootDriver()};
        net = new Networking(root);
        drivers = new Drivers("proot", ds);
        svc = new ContainerService(root, images, drivers, net);
    }

    @AfterAll
    void nothingOfThisRootLeftOnTheHost() {
        if (svc != null) SharedBridgeTest.assertNoTraces(root);
    }

    @Test
    void proot_equalAndDifferentPorts_andTheProxyDiesWithTheContainer() throws Exception {
        hostDriver("proot");
    }

    @Test
    void chroot_equalAndDifferentPorts_andTheProxyDiesWithTheContainer() throws Exception {
        assumeTrue(HostTools.isRoot(), "chroot needs root");
        hostDriver("chroot");
    }

    private void hostDriver(String driver) throws Exception {
        int c = free(), h = free();
        String id = svc.runDetached(ContainerSpec.builder("busybox:configured").driver(driver)
                .cmd("-p", Integer.toString(c), "-h", "/www").publish(c + ":" + c).publish("127.0.0.1:" + h + ":" + c).build());
        try {
            assertThat(get(c)).isEqualTo(HELLO);
            assertThat(get(h)).isEqualTo(HELLO);
            assertThat(svc.get(id).portsText()).isEqualTo("0.0.0.0:" + c + "->" + c + "/tcp, 127.0.0.1:" + h + "->" + c + "/tcp");
            long proxy = Long.parseLong(Files.readString(root.resolve("containers/" + id + "/net/proxy.pid")).trim());
            assertThat(ProcessHandle.of(proxy).map(ProcessHandle::isAlive)).contains(true);
            svc.stop(id, 5);
            awaitDead(proxy);
            assertThat(root.resolve("containers/" + id + "/net/down.sh")).doesNotExist();
        } finally {
            svc.remove(id, true, true);
        }
    }

    @Test
    void udp_throughTheProxy() throws Exception {
        // host network: a UDP echo server in this JVM stands in for the container's (busybox nc has no -u)
        try (DatagramSocket echo = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                byte[] b = new byte[1500];
                try {
                    DatagramPacket d = new DatagramPacket(b, b.length);
                    echo.receive(d);
                    echo.send(new DatagramPacket(("echo " + new String(b, 0, d.getLength(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
                            5 + d.getLength(), d.getSocketAddress()));
                } catch (IOException ignored) {
                    // the test times out
                }
            });
            t.start();
            int h = PortProxyTest.freeUdp();
            String id = svc.runDetached(ContainerSpec.builder("busybox").driver("proot").cmd("sleep", "60")
                    .publish(h + ":" + echo.getLocalPort() + "/udp").build());
            try {
                assertThat(PortProxyTest.udpAsk("127.0.0.1", h, "ping")).isEqualTo("echo ping");
            } finally {
                svc.remove(id, true, true);
            }
        }
    }

    @Test
    void takenPort_failsBeforeStart_withDockersMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int p = taken.getLocalPort();
            String id = svc.create(ContainerSpec.builder("busybox").driver("proot").cmd("sleep", "60").publish(p + ":1234").build());
            assertThatThrownBy(() -> svc.start(id)).isInstanceOf(AndockException.class)
                    .hasMessage("Bind for 0.0.0.0:" + p + " failed: port is already allocated");
            assertThat(svc.get(id).state().running()).isFalse();
            assertThat(root.resolve("containers/" + id + "/net/down.sh")).doesNotExist();
            svc.remove(id, true, true);
        }
    }

    @Test
    void oci_bridge_portmap_thenEverythingReleasedAfterRm() throws Exception {
        assumeTrue(oci, "oci bridge needs root, runc and the CNI plugins");
        int h = free();
        String id = svc.runDetached(ContainerSpec.builder("busybox:configured").driver("oci").publish(h + ":8080").build());
        Path dir = root.resolve("containers/" + id);
        Map<String, Object> ns = networkSettings(id);
        String ip = (String) ns.get("IPAddress");
        Path netns = Path.of((String) ns.get("SandboxKey"));
        try {
            assertThat(ip).startsWith(subnetPrefix());
            assertThat(get(h)).isEqualTo(HELLO);
            assertThat(get(ip, 8080)).isEqualTo(HELLO);
            assertThat(Files.readString(dir.resolve("hosts"))).contains(ip + "\t" + id.substring(0, 12));
            assertThat(NetState.readOrNull(dir.resolve("net")).forwarder()).isEqualTo(Iptables.usable() ? "portmap" : "proxy");
            // a second container may not take the same host port, even though iptables does not bind it
            String other = svc.create(ContainerSpec.builder("busybox:configured").driver("oci").publish(h + ":8080").build());
            assertThatThrownBy(() -> svc.start(other)).hasMessage("Bind for 0.0.0.0:" + h + " failed: port is already allocated");
            svc.remove(other, true, true);
            assertThat(get(h)).isEqualTo(HELLO);
        } finally {
            svc.remove(id, true, true);
        }
        assertThat(netns).doesNotExist();
        assertThat(Files.list(net.hostDir().resolve("ipam/andock")).map(p -> p.getFileName().toString())).doesNotContain(ip);
        assertThat(net.hostDir().resolve("leases/" + id)).doesNotExist();
        assertThat(Cmd.exec("iptables", "-w", "-t", "nat", "-S").stdout()).doesNotContain(id);
    }

    @Test
    void oci_bridge_userspaceProxy_whenIptablesIsUnusable() throws Exception {
        assumeTrue(oci, "oci bridge needs root, runc and the CNI plugins");
        ContainerService noIptables = new ContainerService(root, TestImages.shared(), drivers, new Networking(root, Cni.find(), false));
        int h = free();
        String id = noIptables.runDetached(ContainerSpec.builder("busybox:configured").driver("oci").publish(h + ":8080").build());
        try {
            assertThat(NetState.readOrNull(root.resolve("containers/" + id + "/net")).forwarder()).isEqualTo("proxy");
            assertThat(get(h)).isEqualTo(HELLO);
        } finally {
            noIptables.remove(id, true, true);
        }
    }

    @Test
    void tenConcurrentStarts_withPublishedPorts_fromThreads() throws Exception {
        // one JVM, many threads in Networking.up at once (the daemon does this): no OverlappingFileLockException
        int n = 10;
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        List<ContainerSpec> specs = new ArrayList<>();
        List<Integer> hostPorts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int h = freeOtherThan(taken);
            ContainerSpec.Builder b = ContainerSpec.builder("busybox:configured").label("batch", "concurrent-ports");
            if (oci && i % 2 == 0) {
                b.driver("oci").publish(h + ":8080"); // bridge, portmap or proxy
            } else {
                int c = freeOtherThan(taken);
                b.driver("proot").cmd("-p", Integer.toString(c), "-h", "/www").publish(h + ":" + c); // host, proxy
            }
            specs.add(b.build());
            hostPorts.add(h);
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> fs = new ArrayList<>();
        for (ContainerSpec spec : specs) {
            fs.add(pool.submit(() -> {
                go.await();
                return svc.runDetached(spec);
            }));
        }
        go.countDown();
        List<String> ids = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (Future<String> f : fs) {
            try {
                ids.add(f.get(120, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        pool.shutdown();
        try {
            assertThat(failures).isEmpty();
            for (int h : hostPorts) assertThat(get(h)).isEqualTo(HELLO);
        } finally {
            for (var v : svc.list(new ListOptions(true, List.of("label=batch=concurrent-ports")))) svc.remove(v.id(), true, true);
        }
    }

    private static int freeOtherThan(java.util.Set<Integer> taken) throws IOException {
        int p;
        do {
            p = free();
        } while (!taken.add(p));
        return p;
    }

    @Test
    void oci_none_hasOnlyLoopback() {
        assumeTrue(oci, "oci needs root and runc");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = svc.run(ContainerSpec.builder("busybox").driver("oci").networkMode("none").autoRemove(true)
                .cmd("sh", "-c", "ls /sys/class/net").build(), Attach.streams(null, out, new ByteArrayOutputStream()));
        assertThat(code).isZero();
        assertThat(out.toString().trim()).isEqualTo("lo");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> networkSettings(String id) {
        return (Map<String, Object>) svc.inspect(id).get("NetworkSettings");
    }

    private String subnetPrefix() {
        String s = Bridge.read(net.hostDir().resolve("bridge.json")).subnet();
        return s.substring(0, s.indexOf(".0.0/"));
    }

    static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String get(int port) throws Exception {
        return get("127.0.0.1", port);
    }

    /** The body of {@code GET /}, retried for 10 s while the server comes up. */
    static String get(String host, int port) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket s = new Socket(host, port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int body = r.indexOf("\r\n\r\n");
                if (r.startsWith("HTTP/1.") && body > 0) return r.substring(body + 4);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no HTTP answer on " + host + ":" + port);
            Thread.sleep(50);
        }
    }

    static void awaitDead(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) throw new AssertionError("proxy " + pid + " still alive");
            Thread.sleep(20);
        }
    }
}
