package io.andock.net;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure parts: subnet choice, the CNI config, the plugin configs, the teardown script, /etc/hosts. */
class NetworkPiecesTest {

    @Test
    void bridge_skipsSubnetsInUse_andTakenBridgeNames() {
        List<Routes.Route> routes = Routes.parse(List.of("Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT",
                "eth0 00000000 010200C0 0003 0 0 0 00000000 0 0 0",   // default: ignored
                "eth0 000058A0 00000000 0001 0 0 0 0000FFFF 0 0 0",   // 160.88/16: irrelevant
                "tun0 0000580A 00000000 0001 0 0 0 0000FFFF 0 0 0")); // 10.88.0.0/16
        assertThat(routes.get(2)).isEqualTo(Routes.Route.parse("10.88.0.0/16"));
        assertThat(Bridge.choose(routes, Set.of("andock1"))).isEqualTo(new Bridge("andock0", "10.89.0.0/16"));
        // a busy bridge of an older andock keeps its name and its route
        assertThat(Bridge.choose(routes, Set.of("andock0", "andock1"))).isEqualTo(new Bridge("andock2", "10.89.0.0/16"));
        assertThat(Routes.Route.parse("10.0.0.0/8").overlaps(Routes.Route.parse("10.89.0.0/16"))).isTrue();
        assertThat(Routes.Route.parse("10.88.0.0/16").overlaps(Routes.Route.parse("10.89.0.0/16"))).isFalse();
    }

    @Test
    void conflist_withoutIptables_hasNoMasqueradeNorPortmap() {
        Map<String, Object> c = new Bridge("andock0", "10.88.0.0/16").conflist(Path.of("/r/net/ipam"), false, true, true);
        assertThat(c.get("plugins").toString()).contains("ipMasq=false", "andock0", "10.88.0.0/16", "/r/net/ipam")
                .doesNotContain("portmap", "firewall");
        Map<String, Object> full = new Bridge("andock0", "10.88.0.0/16").conflist(Path.of("/r"), true, true, true);
        assertThat(full.get("plugins").toString()).contains("portmap", "firewall", "ipMasq=true");
    }

    @Test
    void pluginConfig_getsVersion_name_prevResult_andOnlyTheRuntimeConfigItAsksFor() {
        Map<String, Object> list = Map.of("cniVersion", "1.0.0", "name", "andock");
        Map<String, Object> pm = Cni.pluginConfig(list, Map.of("type", "portmap", "capabilities", Map.of("portMappings", true)),
                Map.of("ips", List.of()), Map.of("portMappings", List.of(1), "other", 2));
        assertThat(pm).containsEntry("cniVersion", "1.0.0").containsEntry("name", "andock")
                .containsEntry("runtimeConfig", Map.of("portMappings", List.of(1))).containsKey("prevResult");
        assertThat(Cni.pluginConfig(list, Map.of("type", "bridge"), null, Map.of("portMappings", List.of()))).doesNotContainKeys("runtimeConfig", "prevResult");
    }

    @Test
    void teardown_killsOnlyItsProxy_dels_thenRemovesTheNamespace() {
        Teardown t = Teardown.empty(Path.of("/c/net")).withNetns(Path.of("/run/andock/netns/x"))
                .withCni(Map.of("CNI_COMMAND", "DEL"), List.of(Map.entry(Path.of("/usr/lib/cni/portmap"), Path.of("/c/net/del-0.json"))));
        String s = t.script();
        assertThat(s).contains("*PortProxyMain*) kill", "CNI_COMMAND='DEL' '/usr/lib/cni/portmap' <'/c/net/del-0.json'",
                "umount '/run/andock/netns/x'");
        assertThat(s.indexOf("portmap")).isLessThan(s.indexOf("umount"));
    }

    @Test
    void teardown_withALease_callsTheLeasesScript_whichDelsAndRemovesTheLeaseLast() {
        Teardown t = Teardown.empty(Path.of("/c/net")).withLease(Path.of("/run/andock/net/leases/x")).withNetns(Path.of("/run/andock/netns/x"))
                .withCni(Map.of("CNI_COMMAND", "DEL"), List.of(Map.entry(Path.of("/usr/lib/cni/bridge"),
                        Path.of("/run/andock/net/leases/x/del-0.json"))));
        assertThat(t.script()).contains("sh '/run/andock/net/leases/x/down.sh'").doesNotContain("CNI_COMMAND", "umount");
        String lease = t.leaseScript();
        assertThat(lease).contains("CNI_COMMAND='DEL' '/usr/lib/cni/bridge' <'/run/andock/net/leases/x/del-0.json'",
                "umount '/run/andock/netns/x'");
        assertThat(lease.indexOf("umount")).isLessThan(lease.indexOf("rmdir '/run/andock/net/leases/x'"));
    }

    @Test
    void bridgeRecord_unreadableOrForeignValues_areChosenAgain(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("bridge.json");
        java.nio.file.Files.writeString(f, "{\"Bridge\":\"andock0\",\"Subnet\":\"10.88.0.0/16\"}");
        assertThat(Bridge.read(f)).isEqualTo(new Bridge("andock0", "10.88.0.0/16"));
        for (String bad : List.of("{\"Bridge\":\"eth0\",\"Subnet\":\"10.88.0.0/16\"}", "{\"Bridge\":\"andock0\",\"Subnet\":\"0.0.0.0/0\"}",
                "{\"Bridge\":\"../x\"}", "not json")) {
            java.nio.file.Files.writeString(f, bad);
            assertThat(Bridge.read(f)).as(bad).isNull();
        }
        assertThat(Bridge.read(tmp.resolve("absent.json"))).isNull();
    }

    @Test
    void leases_refuseIdsThatAreNotNames(@org.junit.jupiter.api.io.TempDir Path tmp) {
        Leases l = new Leases(tmp);
        assertThat(l.of("0123abcd")).isEqualTo(tmp.resolve("leases/0123abcd"));
        for (String bad : List.of("../x", "a/b", "", ".hidden", "x\ny")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> l.of(bad)).as(bad).isInstanceOf(io.andock.AndockException.class)
                    .hasMessageStartingWith("invalid container id");
        }
    }

    @Test
    void hosts_putsTheContainersAddressOnItsName() {
        String h = "127.0.0.1\tlocalhost\n127.0.1.1\tabc\n";
        assertThat(HostsFile.withAddress(h, "10.88.0.5", "abc")).isEqualTo("127.0.0.1\tlocalhost\n10.88.0.5\tabc\n");
        assertThat(HostsFile.withAddress("127.0.0.1\tlocalhost\n", "10.88.0.5", "abc")).endsWith("10.88.0.5\tabc\n");
    }

    @Test
    void portRule_roundTrips() {
        PortRule r = new PortRule("udp", "", 53, "10.88.0.2", 5353);
        assertThat(PortRule.parse(r.arg())).isEqualTo(r);
        assertThat(r.listenIp()).isEqualTo("0.0.0.0");
    }
}
