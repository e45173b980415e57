package io.andock.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Testcontainers 1.21.4 (docker-java 3.4.2, still widely used) in a child JVM, its classpath resolved offline by
 * {@code mvn dependency:build-classpath} from a generated pom (this module's test classpath has 2.0.5): a
 * GenericContainer with an exposed port and Wait.forHttp against a DaemonFixture daemon. This module's build
 * fetches 1.21.4 into the local repository before the tests ({@code dependency:get} in its pom), and the plugin
 * version is the build's ({@code andock.dependencyPlugin.version}): nothing here needs the network.
 */
class Testcontainers121Test {
    static final String POM = """
            <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
              <groupId>io.andock.test</groupId><artifactId>tc121</artifactId><version>1</version>
              <dependencies>
                <dependency><groupId>org.testcontainers</groupId><artifactId>testcontainers</artifactId><version>1.21.4</version></dependency>
              </dependencies>
            </project>
            """;
    static final String PROGRAM = """
            import org.testcontainers.containers.GenericContainer;
            import org.testcontainers.containers.wait.strategy.Wait;
            import org.testcontainers.utility.DockerImageName;
            public class Tc {
                public static void main(String[] a) throws Exception {
                    try (GenericContainer<?> web = new GenericContainer<>(DockerImageName.parse(a[0]))
                            .withExposedPorts(8080).waitingFor(Wait.forHttp("/"))) {
                        web.start();
                        var url = new java.net.URL("http://" + web.getHost() + ":" + web.getMappedPort(8080) + "/");
                        try (var in = url.openStream()) {
                            System.out.println("body=" + new String(in.readAllBytes()).trim());
                        }
                        System.out.println("running=" + web.isRunning());
                    }
                    System.out.println("tc-done");
                }
            }
            """;

    @Test
    void testcontainers_1_21_4_genericContainer_waitForHttp(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("pom.xml"), POM);
        Path cpFile = tmp.resolve("cp.txt");
        String plugin = "org.apache.maven.plugins:maven-dependency-plugin:"
                + System.getProperty("andock.dependencyPlugin.version", "3.8.1") + ":build-classpath";
        List<String> cmd = new ArrayList<>(List.of("mvn", "-q", "-o", "-f", tmp.resolve("pom.xml").toString(), plugin,
                "-Dmdep.outputFile=" + cpFile));
        String repo = System.getProperty("andock.mavenRepoLocal", "");
        if (!repo.isEmpty()) cmd.add("-Dmaven.repo.local=" + repo); // where the build put it (-Dmaven.repo.local too)
        Process mvn = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("mvn.log").toFile()).start();
        boolean done = mvn.waitFor(120, TimeUnit.SECONDS);
        if (!done) mvn.destroyForcibly();
        assertThat(done && mvn.exitValue() == 0 && Files.exists(cpFile))
                .as(() -> "Testcontainers 1.21.4 classpath not resolvable offline (mvn -o; the daemon build fetches it)\n"
                        + read(tmp.resolve("mvn.log"))).isTrue();
        String cp = Files.readString(cpFile).trim();
        Path src = Files.writeString(tmp.resolve("Tc.java"), PROGRAM);

        try (DaemonFixture f = new DaemonFixture()) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", cp, src.toString(), f.image("busybox:configured"))
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("tc.log").toFile());
            pb.environment().put("DOCKER_HOST", f.host());
            pb.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true");
            pb.environment().put("HOME", tmp.toString()); // no ~/.testcontainers.properties from elsewhere
            pb.environment().remove("DOCKER_API_VERSION");
            pb.environment().remove("DOCKER_CONTEXT");
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) p.destroyForcibly();
            String log = read(tmp.resolve("tc.log"));
            assertThat(p.exitValue()).as(log).isZero();
            assertThat(log).contains("body=", "hello from andock", "running=true", "tc-done");
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
    }
}
