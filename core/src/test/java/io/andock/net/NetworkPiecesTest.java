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
        assertThat(Bridge.choose(routes, Set.of("andock1"))).isEqualTo(new Bridge("andock2", "10.90.0.0/16"));
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
