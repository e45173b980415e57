package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two {@code --root}s on one host, as two projects or two users: their bridged containers share andock's one bridge,
 * get distinct addresses, reach each other, and a host port one root publishes is refused to the other, whatever
 * its driver.
 */
@Tag("registry")
class CliSharedBridgeTest {
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void registry() {
        Fixtures.assumeAvailable();
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "bridge networks need root and the CNI plugins");
        registry = TestRegistry.shared();
    }

    private String ref(String repoTag) {
        return registry.host() + "/" + repoTag;
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "proot", "chroot"})
    void twoRoots_oneBridge_portsOnDifferentHostPorts_theSamePortRefused(String driver) throws Exception {
        Andock a = new Andock(tmp.resolve("project-a")), b = new Andock(tmp.resolve("project-b"));
        String image = ref("busybox:configured");
        a.ok("pull", "-q", image);
        b.ok("pull", "-q", image);
        int pa = CliContainersTest.freePort(), pb = CliContainersTest.freePort();
        a.ok("--driver", "oci", "run", "-d", "--name", "web", "-p", pa + ":8080", image);
        try {
            Cmd.Result taken = b.run("--driver", driver, "run", "-d", "--name", "web", "-p", pa + ":8080", image, "-p", "8080", "-h", "/www");
            assertThat(taken.exitCode()).isEqualTo(125);
            assertThat(taken.stderr()).contains("Bind for 0.0.0.0:" + pa + " failed: port is already allocated");
            b.ok("rm", "-f", "web");

            // with proot and chroot the httpd is on the host's network: a port of its own
            String inner = Integer.toString(CliContainersTest.freePort());
            b.ok("--driver", driver, "run", "-d", "--name", "web2", "-p", pb + ":" + inner, image, "-p", inner, "-h", "/www");
            String ipA = a.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "web").strip();
            assertThat(ipA).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
            // b's container on the bridge talks to a's by address, as on Docker's default bridge
            String fetched = b.ok("--driver", "oci", "run", "--rm", ref("busybox:latest"), "sh", "-c",
                    "for i in 1 2 3 4 5 6 7 8 9 10; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + ipA + " 8080 | grep -q configured && echo reached && exit 0; sleep 1; done");
            assertThat(fetched).isEqualTo("reached\n");
            for (int p : List.of(pa, pb)) assertThat(get(p)).isEqualTo("hello from andock busybox:configured\n");
        } finally {
            a.run("rm", "-f", "web");
            b.run("rm", "-f", "web", "web2");
        }
    }

    @org.junit.jupiter.api.Test
    void sixRoots_inSixProcessesAtOnce_allOnTheBridge_withDistinctAddresses() throws Exception {
        int n = 6;
        List<Andock> roots = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Andock r = new Andock(tmp.resolve("user-" + i));
            r.ok("pull", "-q", ref("busybox:latest"));
            roots.add(r);
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<Cmd.Result>> runs = new java.util.ArrayList<>();
            for (Andock r : roots) {
                runs.add(pool.submit(() -> r.run("--driver", "oci", "run", "--rm", ref("busybox:latest"), "sh", "-c", "hostname -i; sleep 3")));
            }
            java.util.Set<String> addresses = new java.util.HashSet<>();
            for (var f : runs) {
                Cmd.Result r = f.get(300, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.exitCode()).as(r.stderr()).isZero();
                assertThat(r.stdout().strip()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
                addresses.add(r.stdout().strip());
            }
            assertThat(addresses).hasSize(n);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String get(int port) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; ; i++) {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(java.time.Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                if (i > 50) throw e;
                Thread.sleep(100);
            }
        }
    }
}
