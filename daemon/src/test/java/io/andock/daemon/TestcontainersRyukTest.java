package io.andock.daemon;

import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Testcontainers 2.0.5 with Ryuk enabled, in a child JVM (its environment turns Ryuk on and points
 * {@code TESTCONTAINERS_RYUK_CONTAINER_IMAGE} at the fixture {@code ryuk:local}, a stand-in speaking Ryuk's
 * protocol: testkit/fixtures/ryuk.c). The child starts a GenericContainer and dies without stopping it
 * ({@code Runtime.halt}: no shutdown hook runs); the reaper, talking to the daemon through its socket
 * bind-mounted at /var/run/docker.sock in a privileged container (Testcontainers' default) with a published
 * port, must then remove the container by its session label, and itself go (AutoRemove).
 */
class TestcontainersRyukTest {
    static final String PROGRAM = """
            import org.testcontainers.DockerClientFactory;
            import org.testcontainers.containers.GenericContainer;
            import org.testcontainers.containers.wait.strategy.Wait;
            import org.testcontainers.utility.DockerImageName;
            import java.nio.file.*;
            public class Tc {
                public static void main(String[] a) throws Exception {
                    GenericContainer<?> web = new GenericContainer<>(DockerImageName.parse(a[0]))
                            .withExposedPorts(8080).waitingFor(Wait.forHttp("/"));
                    web.start();
                    var url = new java.net.URL("http://" + web.getHost() + ":" + web.getMappedPort(8080) + "/");
                    try (var in = url.openStream()) {
                        System.out.println("body=" + new String(in.readAllBytes()).trim());
                    }
                    System.out.println("session=" + DockerClientFactory.SESSION_ID);
                    System.out.println("tc-started " + web.getContainerId());
                    System.out.flush();
                    Path go = Path.of(a[1]);
                    for (int i = 0; i < 1200 && !Files.exists(go); i++) Thread.sleep(100);
                    System.out.println("tc-halt");
                    System.out.flush();
                    Runtime.getRuntime().halt(0);   // like a killed JVM: nothing stops the container but the reaper
                }
            }
            """;

    @Test
    void ryuk_removesTheContainersOfADeadSession(@TempDir Path tmp) throws Exception {
        try (DaemonFixture f = new DaemonFixture()) {
            assumeTrue(Fixtures.imageList().stream().anyMatch(i -> i.repoTag().equals("ryuk:local")),
                    "fixture ryuk:local not built (gcc -static failed when the fixtures were built)");
            Path src = Files.writeString(tmp.resolve("Tc.java"), PROGRAM);
            Path log = tmp.resolve("tc.log"), go = tmp.resolve("go");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), src.toString(), f.image("busybox:configured"), go.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("DOCKER_HOST", f.host());
            pb.environment().put("TESTCONTAINERS_RYUK_DISABLED", "false");
            pb.environment().put("TESTCONTAINERS_RYUK_CONTAINER_IMAGE", f.image("ryuk:local"));
            // privileged, as Testcontainers runs Ryuk by default: every capability this host lets andock hand on
            pb.environment().put("HOME", tmp.toString()); // no ~/.testcontainers.properties from elsewhere
            pb.environment().remove("DOCKER_API_VERSION");
            pb.environment().remove("DOCKER_CONTEXT");
            long t0 = System.nanoTime();
            Process p = pb.start();
            try {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                while (!read(log).contains("tc-started") && p.isAlive() && System.nanoTime() < until) Thread.sleep(100);
                assertThat(read(log)).as("child JVM").contains("body=hello from andock", "tc-started");
                String id = read(log).lines().filter(l -> l.startsWith("tc-started ")).findFirst().orElseThrow().substring(11);
                String session = read(log).lines().filter(l -> l.startsWith("session=")).findFirst().orElseThrow().substring(8);

                List<String> ps = ps(f);
                String ryuk = ps.stream().filter(l -> l.contains("testcontainers-ryuk-" + session)).findFirst().orElse(null);
                assertThat(ryuk).as("the reaper runs: %s\n%s", ps, read(log)).isNotNull().contains("Up").contains("ryuk:local");
                assertThat(ps).as("the container runs").anyMatch(l -> l.startsWith(id.substring(0, 12)) && l.contains("Up"));
                String ryukId = ryuk.substring(0, ryuk.indexOf('\t'));
                var binds = f.run("inspect", "-f", "{{json .HostConfig.Binds}} {{.HostConfig.AutoRemove}} {{.HostConfig.Privileged}}", ryukId);
                assertThat(binds.out()).contains(f.socket + ":/var/run/docker.sock", " true true");
                String ryukLog = f.run("logs", ryukId).all();
                assertThat(ryukLog).contains("Started", "Adding filter", "org.testcontainers.sessionId=" + session);

                Path ryukLogFile = tmp.resolve("ryuk.log");   // followed to the end: the container goes with its logs
                Process follow = f.docker("logs", "-f", ryukId).redirectErrorStream(true).redirectOutput(ryukLogFile.toFile()).start();
                Files.writeString(go, "");
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("child JVM halts").isTrue();
                long dead = System.nanoTime();
                until = dead + TimeUnit.SECONDS.toNanos(30);
                while ((ps = ps(f)).stream().anyMatch(l -> l.startsWith(id.substring(0, 12)) || l.startsWith(ryukId))
                        && System.nanoTime() < until) {
                    Thread.sleep(250);
                }
                follow.waitFor(10, TimeUnit.SECONDS);
                follow.destroyForcibly();
                ryukLog = read(ryukLogFile);
                assertThat(ps).as("the reaper removed the container, then went itself (%s)", ryukLog)
                        .noneMatch(l -> l.startsWith(id.substring(0, 12)) || l.startsWith(ryukId));
                assertThat(ryukLog).contains("Removed container " + id, "Done");
                System.err.printf("[TestcontainersRyukTest] started in %d ms, reaped %d ms after the JVM died%n",
                        (dead - t0) / 1_000_000, (System.nanoTime() - dead) / 1_000_000);
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** docker ps -a as "ID\tNAMES\tIMAGE\tSTATUS" lines. */
    private static List<String> ps(DaemonFixture f) throws Exception {
        var r = f.run("ps", "-a", "--no-trunc", "--format", "{{.ID}}\t{{.Names}}\t{{.Image}}\t{{.Status}}");
        assertThat(r.code()).as(r.all()).isZero();
        return r.out().lines().filter(l -> !l.isBlank()).toList();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
    }
}
