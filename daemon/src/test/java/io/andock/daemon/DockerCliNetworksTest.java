package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * User-defined bridge networks through the real docker CLI: {@code network create/ls/inspect/connect/disconnect/
 * rm/prune}, {@code run --network --network-alias --ip}, and containers finding each other by name and alias.
 */
class DockerCliNetworksTest {
    static DaemonFixture f;
    static String web;
    static String busybox;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "bridge networks need root and the CNI plugins");
        f = new DaemonFixture();
        web = f.image("busybox:configured");
        busybox = f.image("busybox");
        assertThat(f.run("pull", "-q", web).code()).isZero();
        assertThat(f.run("pull", "-q", busybox).code()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static DaemonFixture.Result ok(String... args) throws Exception {
        DaemonFixture.Result r = f.run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.all()).isZero();
        return r;
    }

    @Test
    void create_withIpam_inspect_ls_filter_rm() throws Exception {
        String id = ok("network", "create", "--subnet", "10.123.4.0/24", "--gateway", "10.123.4.1", "--ip-range", "10.123.4.128/25",
                "--label", "team=a", "ipamnet").out().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        String inspect = ok("network", "inspect", "ipamnet").out();
        assertThat(inspect).contains("\"Subnet\": \"10.123.4.0/24\"", "\"Gateway\": \"10.123.4.1\"", "\"IPRange\": \"10.123.4.128/25\"",
                "\"team\": \"a\"", "\"Driver\": \"bridge\"", "\"Internal\": false");
        assertThat(ok("network", "inspect", "-f", "{{.Name}} {{.Id}}", id.substring(0, 12)).out().strip()).isEqualTo("ipamnet " + id);
        String ls = ok("network", "ls").out();
        assertThat(ls.lines().filter(l -> l.contains("ipamnet")).findFirst().orElseThrow()).contains(id.substring(0, 12)).contains("bridge").contains("local");
        assertThat(ok("network", "ls", "-q", "--filter", "label=team=a").out().strip()).isEqualTo(id.substring(0, 12));

        DaemonFixture.Result again = f.run("network", "create", "ipamnet");
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("already exists");
        DaemonFixture.Result overlap = f.run("network", "create", "--subnet", "10.123.4.0/25", "other");
        assertThat(overlap.code()).isNotZero();
        assertThat(overlap.err()).contains("overlaps");
        DaemonFixture.Result bad = f.run("network", "create", "--subnet", "10.123.5.0/24", "--gateway", "10.9.9.9", "other");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).containsAnyOf("not in subnet", "no matching subnet"); // the CLI checks it first

        // a fixed address from the range, seen by the container and in inspect
        ok("run", "-d", "--name", "fixed", "--network", "ipamnet", "--ip", "10.123.4.200", busybox, "sleep", "600");
        assertThat(ok("exec", "fixed", "ip", "-4", "addr", "show", "eth0").out()).contains("inet 10.123.4.200/24");
        assertThat(ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"ipamnet\").IPAddress}}", "fixed").out().strip())
                .isEqualTo("10.123.4.200");
        assertThat(ok("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}", "ipamnet").out().strip())
                .isEqualTo("fixed 10.123.4.200/24");
        DaemonFixture.Result inUse = f.run("network", "rm", "ipamnet");
        assertThat(inUse.code()).isNotZero();
        assertThat(inUse.err()).contains("has active endpoints");
        ok("rm", "-f", "fixed");
        ok("network", "rm", "ipamnet");
        assertThat(f.run("network", "inspect", "ipamnet").code()).isNotZero();
    }

    @Test
    void containers_reachEachOther_byNameAndAlias_andNamesFollowConnectAndDisconnect() throws Exception {
        ok("network", "create", "front");
        String subnet = ok("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", "front").out().strip();
        assertThat(subnet).as("chosen free of the host's routes").matches("10\\.1[0-2]\\d\\.\\d+\\.0/24");
        ok("run", "-d", "--name", "db", "--network", "front", "--network-alias", "database", web);
        assertThat(ok("run", "--rm", "--network", "front", busybox, "wget", "-qO-", "http://db:8080/").out())
                .contains("hello from andock busybox:configured");
        assertThat(ok("run", "--rm", "--network", "front", busybox, "wget", "-qO-", "http://database:8080/").out())
                .contains("hello from andock busybox:configured");
        // a network the client is not on: its names are not known there
        ok("network", "create", "back");
        ok("run", "-d", "--name", "app", "--network", "back", busybox, "sleep", "600");
        assertThat(f.run("exec", "app", "wget", "-qO-", "-T", "2", "http://db:8080/").code()).isNotZero();

        // connect the running server to back with another alias: app finds it at once, by both names
        ok("network", "connect", "--alias", "store", "back", "db");
        assertThat(ok("exec", "app", "wget", "-qO-", "http://store:8080/").out()).contains("hello from andock");
        assertThat(ok("exec", "app", "wget", "-qO-", "http://db:8080/").out()).contains("hello from andock");
        String nets = ok("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}", "db").out();
        assertThat(nets).containsPattern("back=10\\.\\d+\\.\\d+\\.\\d+ ").containsPattern("front=10\\.\\d+\\.\\d+\\.\\d+ ");

        // a restart keeps the names (a new address, maybe): the peers' lines are rewritten
        ok("restart", "-t", "1", "db");
        assertThat(ok("exec", "app", "wget", "-qO-", "http://store:8080/").out()).contains("hello from andock");

        ok("network", "disconnect", "back", "db");
        assertThat(ok("exec", "app", "cat", "/etc/hosts").out()).doesNotContain("store").doesNotContain(" db ");
        assertThat(f.run("exec", "app", "wget", "-qO-", "-T", "2", "http://store:8080/").code()).isNotZero();
        assertThat(ok("exec", "db", "ip", "-4", "-o", "addr").out()).doesNotContain("eth1");

        ok("network", "connect", "front", "app");
        assertThat(ok("exec", "db", "cat", "/etc/hosts").out()).containsPattern("\\s(app)\\s");
        ok("rm", "-f", "app");
        assertThat(ok("exec", "db", "cat", "/etc/hosts").out()).as("a removed peer is no more named").doesNotContainPattern("\\s(app)\\s");
        ok("rm", "-f", "db");
        DaemonFixture.Result pruned = ok("network", "prune", "-f");
        assertThat(pruned.out()).contains("front").contains("back");
        assertThat(ok("network", "ls", "-q").out().lines().count()).isEqualTo(3);
    }

    @Test
    void internalNetwork_hasNoRouteOut() throws Exception {
        ok("network", "create", "--internal", "sealed");
        assertThat(ok("network", "inspect", "-f", "{{.Internal}}", "sealed").out().strip()).isEqualTo("true");
        String routes = ok("run", "--rm", "--network", "sealed", busybox, "ip", "route").out();
        assertThat(routes).doesNotContain("default");
        ok("network", "rm", "sealed");
    }

    @Test
    void ipv6_isAcceptedWithAWarning_andTheNetworkIsIpv4() throws Exception {
        try {
            DaemonFixture.Result r = f.run("network", "create", "--ipv6", "--subnet", "10.79.0.0/24", "--subnet", "fd00:79::/64", "dual");
            assertThat(r.code()).as(r.all()).isZero();
            assertThat(ok("network", "inspect", "-f", "{{.EnableIPv6}} {{range .IPAM.Config}}{{.Subnet}}{{end}}", "dual").out().strip())
                    .isEqualTo("false 10.79.0.0/24");
            // the CLI does not print it: dockerd's Warning field says what was left out
            assertThat(api("POST", "/networks/create", "{\"Name\":\"dual2\",\"EnableIPv6\":true,\"IPAM\":{\"Config\":[{\"Subnet\":\"fd00:7a::/64\"}]}}"))
                    .startsWith("201 ").contains("IPv4 only").contains("fd00:7a::/64 ignored");
        } finally {
            f.run("network", "rm", "dual", "dual2");
        }
    }

    @Test
    void badInput_oneLineErrors_nothingLost() throws Exception {
        DaemonFixture.Result none = f.run("run", "--rm", "--network", "nosuchnet", busybox, "true");
        assertThat(none.code()).isNotZero();
        assertThat(none.err()).contains("network nosuchnet not found");
        DaemonFixture.Result path = f.run("network", "create", "../etc");
        assertThat(path.code()).isNotZero();
        assertThat(path.err()).contains("invalid network name");
        DaemonFixture.Result predefined = f.run("network", "rm", "bridge");
        assertThat(predefined.code()).isNotZero();

        // what the CLI would not send, straight to the API: 400 with one line, nothing made
        assertThat(api("POST", "/networks/create", "{\"Name\":\"n1\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.0.0.0/99\"}]}}"))
                .startsWith("400 ").contains("prefix length must be 8 to 30");
        assertThat(api("POST", "/networks/create", "{\"Name\":\"n1\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.77.0.0/24\",\"Gateway\":\"10.78.0.1\"}]}}"))
                .startsWith("400 ").contains("not in subnet");
        assertThat(api("POST", "/networks/create", "{\"Name\":\"../../etc\"}")).startsWith("400 ").contains("invalid network name");
        ok("network", "create", "--subnet", "10.77.0.0/24", "n2");
        String many = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "\"a" + i + "\"").collect(java.util.stream.Collectors.joining(","));
        assertThat(api("POST", "/containers/create?name=c1", "{\"Image\":\"" + busybox + "\",\"HostConfig\":{\"NetworkMode\":\"n2\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"n2\":{\"Aliases\":[" + many + "]}}}}")).startsWith("400 ").contains("at most 64");
        assertThat(api("POST", "/containers/create?name=c1", "{\"Image\":\"" + busybox + "\",\"HostConfig\":{\"NetworkMode\":\"n2\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"n2\":{\"IPAMConfig\":{\"IPv4Address\":\"999.1.1.1\"}}}}}")).startsWith("400 ");
        assertThat(f.run("ps", "-aq").out()).isBlank();
        assertThat(ok("network", "ls", "-q").out().lines().count()).isEqualTo(4);
        ok("network", "rm", "n2");
    }

    /** "STATUS body" of one API request through curl on the daemon's socket. */
    private static String api(String method, String path, String body) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("curl", "-s", "-o", "-", "-w", "\n%{http_code}", "--unix-socket", f.socket.toString(),
                "-X", method, "-H", "Content-Type: application/json", "--data-binary", "@-", "http://d/v1.47" + path);
        DaemonFixture.Result r = DaemonFixture.collect(pb, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), 60);
        String out = r.out().strip();
        int nl = out.lastIndexOf('\n');
        return out.substring(nl + 1) + " " + out.substring(0, Math.max(0, nl));
    }
}
