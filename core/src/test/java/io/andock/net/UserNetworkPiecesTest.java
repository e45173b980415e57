package io.andock.net;

import io.andock.AndockException;
import io.andock.container.ContainerDir;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** User networks without running anything: addresses, names, the subnet claims, the store, endpoints, hosts files. */
@Tag("unit")
class UserNetworkPiecesTest {
    static final String ID = "a".repeat(64);

    @Test
    void ipv4_parsesStrictly_andRefusesHostBitsAndSillyPrefixes() {
        assertThat(Ipv4.format(Ipv4.parse("10.5.0.1", "x"))).isEqualTo("10.5.0.1");
        assertThat(Ipv4.cidr(Ipv4.cidr("10.5.0.0/24", "subnet"))).isEqualTo("10.5.0.0/24");
        for (String bad : List.of("10.5.0", "10.5.0.256", "a.b.c.d", "10.5.0.1 ", "", "1.2.3.4.5")) {
            assertThatThrownBy(() -> Ipv4.parse(bad, "address")).as(bad).isInstanceOf(AndockException.class).hasMessageContaining("not an IPv4 address");
        }
        assertThatThrownBy(() -> Ipv4.cidr("10.5.0.1/24", "subnet")).hasMessageContaining("did you mean 10.5.0.0/24");
        assertThatThrownBy(() -> Ipv4.cidr("10.0.0.0/4", "subnet")).hasMessageContaining("8 to 30");
        assertThatThrownBy(() -> Ipv4.cidr("10.0.0.0/31", "subnet")).hasMessageContaining("8 to 30");
        assertThatThrownBy(() -> Ipv4.cidr("10.0.0.0/x", "subnet")).hasMessageContaining("bad prefix");
        assertThatThrownBy(() -> Ipv4.cidr("10.0.0.0", "subnet")).hasMessageContaining("expected CIDR");
        assertThatThrownBy(() -> Ipv4.cidr("1".repeat(10_000), "subnet")).hasMessageContaining("expected CIDR");
    }

    @Test
    void names_areDockersPattern_neverPaths_andNotTheBuiltinOnes() {
        for (String bad : List.of("../etc", "a/b", "-x", "x", "", " a", "a\nb", "a:b", "n".repeat(300))) {
            assertThatThrownBy(() -> UserNetwork.validateName(bad)).as(bad).hasMessageContaining("invalid network name");
        }
        for (String builtin : List.of("bridge", "host", "none")) {
            assertThatThrownBy(() -> UserNetwork.validateName(builtin)).hasMessageContaining("predefined");
        }
        assertThat(UserNetwork.validateName("proj_default")).isEqualTo("proj_default");
        assertThat(UserNetwork.validateName("test 01")).as("dockerd takes spaces").isEqualTo("test 01");
        UserNetwork n = network("front", "10.100.0.0/24");
        assertThat(n.bridge()).isEqualTo("andock-aaaaaaaa").hasSize(15);
    }

    @Test
    void endpoints_boundAliases_checkAddresses() {
        assertThatThrownBy(() -> new Endpoint("n", List.of("../x"), "")).hasMessageContaining("invalid network alias");
        assertThatThrownBy(() -> new Endpoint("n", java.util.stream.IntStream.range(0, 65).mapToObj(i -> "a" + i).toList(), ""))
                .hasMessageContaining("at most 64");
        assertThatThrownBy(() -> new Endpoint("n", List.of(), "10.0.0.300")).hasMessageContaining("not an IPv4 address");
        assertThat(new Endpoint("n", List.of("db", "db", "x"), null).aliases()).containsExactly("db", "x");
    }

    @Test
    void subnetClaims_chooseFreeSubnets_andRefuseOverlaps(@TempDir Path host) {
        SubnetClaims claims = new SubnetClaims(host);
        String first = claims.choose();
        assertThat(first).matches("10\\.1[0-2]\\d\\.\\d+\\.0/24");
        UserNetwork a = network("a1", first);
        new NetworkStore(host.resolve("root")).put(a);
        claims.claim(a, host.resolve("root"));
        assertThat(claims.choose()).isNotEqualTo(first);
        assertThatThrownBy(() -> claims.requireFree(first, "andock-bbbbbbbb")).hasMessageContaining("overlaps");
        claims.requireFree(first, a.bridge()); // its own claim is no overlap
        assertThatThrownBy(() -> claims.requireFree("10.88.0.0/24", "andock-bbbbbbbb")).as("the default bridge's")
                .hasMessageContaining("overlaps");
        claims.release(a.bridge());
        assertThat(claims.list()).isEmpty();
        // lost at reboot: claimed again at the network's next use, unless another took the subnet meanwhile
        claims.reclaim(a, host.resolve("root"));
        assertThat(claims.list()).extracting(SubnetClaims.Claim::subnet).containsExactly(first);
        UserNetwork b = new UserNetwork("b".repeat(64), "b1", first, "", "", false, false, Map.of(), Map.of(), "");
        assertThatThrownBy(() -> claims.reclaim(b, host.resolve("root2"))).hasMessageContaining("is now used by andock-aaaaaaaa");
        // a root deleted under its networks: their claims go at the next choice
        claims.claim(b, host.resolve("deleted-root"));
        assertThat(claims.sweep()).isEqualTo(1);
        assertThat(claims.list()).extracting(SubnetClaims.Claim::bridge).containsExactly("andock-aaaaaaaa");
    }

    @Test
    void store_findsByNameIdAndPrefix_andSkipsForeignFiles(@TempDir Path root) throws Exception {
        NetworkStore store = new NetworkStore(root);
        UserNetwork n = network("front", "10.100.0.0/24");
        store.put(n);
        Files.writeString(root.resolve("networks/evil.json"), "{\"Id\":\"../../x\"}");
        Files.writeString(root.resolve("networks/" + "c".repeat(64) + ".json"), "not json");
        assertThat(store.list()).containsExactly(n);
        assertThat(store.find("front")).isEqualTo(n);
        assertThat(store.find(ID)).isEqualTo(n);
        assertThat(store.find("aaa")).isEqualTo(n);
        assertThat(store.find("../front")).isNull();
        assertThat(store.find("x".repeat(10_000))).isNull();
        store.put(new UserNetwork("a".repeat(63) + "b", "other", "10.100.1.0/24", "", "", false, false, Map.of(), Map.of(), "z"));
        assertThatThrownBy(() -> store.find("aaa")).hasMessageContaining("ambiguous");
        store.delete(n);
        assertThat(store.find("front")).isNull();
    }

    @Test
    void hostsFile_peerBlock_isReplaced_andTheOwnLinesStay() {
        String base = "127.0.0.1\tlocalhost\n10.100.0.2\tabc123\n";
        String one = PeerHosts.withPeers(base, List.of("10.100.0.3\tdb database 3f"));
        assertThat(one).isEqualTo(base + PeerHosts.MARKER + "\n10.100.0.3\tdb database 3f\n");
        String two = PeerHosts.withPeers(one, List.of("10.100.0.4\tweb"));
        assertThat(two).isEqualTo(base + PeerHosts.MARKER + "\n10.100.0.4\tweb\n");
        assertThat(PeerHosts.withPeers(two, List.of())).isEqualTo(base);
        // a restart: the own address line goes above the block, then the block is rewritten
        String restarted = HostsFile.withAddress(PeerHosts.withPeers(two, List.of()), "10.100.0.9", "abc123");
        assertThat(PeerHosts.withPeers(restarted, List.of("10.100.0.4\tweb"))).contains("10.100.0.9\tabc123\n" + PeerHosts.MARKER);
    }

    @Test
    void peerLines_onlyForSharedNetworks_firstNameWins(@TempDir Path tmp) {
        ContainerDir a = new ContainerDir(tmp.resolve("a")), b = new ContainerDir(tmp.resolve("b")), c = new ContainerDir(tmp.resolve("c"));
        Map<ContainerDir, List<Attachment>> all = new LinkedHashMap<>();
        all.put(a, List.of(att("n1", "10.0.0.2", "a", "x")));
        all.put(b, List.of(att("n1", "10.0.0.3", "b", "alias"), att("n2", "10.0.1.3", "b", "alias")));
        all.put(c, List.of(att("n2", "10.0.1.4", "c", "alias")));
        assertThat(PeerHosts.lines(a, all.get(a), all)).containsExactly("10.0.0.3\tb alias");
        assertThat(PeerHosts.lines(c, all.get(c), all)).containsExactly("10.0.1.3\tb alias");
        assertThat(PeerHosts.lines(b, all.get(b), all)).containsExactly("10.0.0.2\ta x", "10.0.1.4\tc alias");
    }

    @Test
    void userConflist_ownBridgeAndRange_internalHasNoGatewayNorRoute(@TempDir Path host) {
        NetworkAttacher attacher = new NetworkAttacher(new Cni(Path.of("/usr/lib/cni")), host, true);
        UserNetwork n = new UserNetwork(ID, "front", "10.5.0.0/24", "10.5.0.1", "10.5.0.128/25", false, false, Map.of(), Map.of(), "");
        String c = io.andock.json.Json.write(attacher.conflist(n, false));
        assertThat(c).contains("\"name\":\"andock-aaaaaaaa\"", "\"bridge\":\"andock-aaaaaaaa\"", "\"rangeStart\":\"10.5.0.129\"",
                "\"rangeEnd\":\"10.5.0.254\"", "\"gateway\":\"10.5.0.1\"", "\"isGateway\":true", "0.0.0.0/0").doesNotContain("portmap");
        UserNetwork internal = new UserNetwork(ID, "sealed", "10.5.1.0/24", "", "", true, false, Map.of(), Map.of(), "");
        String i = io.andock.json.Json.write(attacher.conflist(internal, false));
        assertThat(i).contains("\"isGateway\":false", "\"ipMasq\":false").doesNotContain("0.0.0.0/0");
        assertThat(NetworkAttacher.runtimeConfig(n, new Endpoint("front", List.of(), "10.5.0.200"), null))
                .isEqualTo(Map.of("ips", List.of("10.5.0.200/24")));
        assertThatThrownBy(() -> NetworkAttacher.runtimeConfig(n, new Endpoint("front", List.of(), "10.6.0.2"), null))
                .hasMessageContaining("is not in network front's subnet");
    }

    @Test
    void leaseScript_removesFurtherInterfacesFirst() {
        Teardown t = Teardown.empty(Path.of("/c/net")).withLease(Path.of("/run/andock/net/leases/x")).withNetns(Path.of("/run/andock/netns/x"));
        String lease = t.leaseScript();
        assertThat(lease.indexOf("att-*.sh")).isLessThan(lease.indexOf("umount"));
        String att = Teardown.attachmentScript(Map.of("CNI_IFNAME", "eth1"), List.of(Map.entry(Path.of("/usr/lib/cni/bridge"),
                Path.of("/l/att-eth1-del-0.json"))), Path.of("/l/att-eth1.sh"));
        assertThat(att).contains("CNI_IFNAME='eth1' '/usr/lib/cni/bridge' <'/l/att-eth1-del-0.json'", "rm -f '/l/att-eth1.sh'");
    }

    private static Attachment att(String net, String ip, String... names) {
        return new Attachment(net, net, "eth0", ip, 24, "", "", List.of(), List.of(names));
    }

    private static UserNetwork network(String name, String subnet) {
        return new UserNetwork(ID, name, subnet, "", "", false, false, Map.of(), Map.of(), "2026-01-01T00:00:00Z");
    }
}
