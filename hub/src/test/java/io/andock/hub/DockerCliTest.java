package io.andock.hub;

import io.andock.hub.auth.Htpasswd;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docker CLI through Debian's dockerd (a private one: its own data root and socket, no bridge, no iptables)
 * against the hub on loopback: pull, push of a fresh layer (docker streams it in one PATCH), login to the hub's
 * token server, rights per repository prefix.
 */
@Tag("registry")
class DockerCliTest {
    static Path dir;
    static Process dockerd;
    static HubFixture open;
    static HubFixture locked;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.assumeAvailable();
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dockerd")) && Files.isExecutable(Path.of("/usr/bin/docker")),
                "Debian's docker.io not installed");
        dir = Files.createTempDirectory("andock-hub-dockerd");
        for (String d : List.of("data", "exec", "config")) Files.createDirectories(dir.resolve(d));
        Files.writeString(dir.resolve("daemon.json"), "{}");
        dockerd = new ProcessBuilder("setsid", "/usr/sbin/dockerd", "--config-file", dir.resolve("daemon.json").toString(),
                "--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
                "-H", "unix://" + dir.resolve("docker.sock"), "--pidfile", dir.resolve("dockerd.pid").toString(),
                "--iptables=false", "--ip6tables=false", "--bridge=none", "--log-level", "warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (docker("version").exitCode() != 0) {
            Assumptions.assumeTrue(dockerd.isAlive(), () -> "dockerd did not start: " + log());
            if (System.nanoTime() > deadline) throw new IllegalStateException("dockerd did not answer: " + log());
            Thread.sleep(200);
        }
        open = HubFixture.start();
        Path users = dir.resolve("users.htpasswd");
        Cmd.run("htpasswd", "-cbB", users.toString(), "alice", "alice-pw");
        Cmd.run("htpasswd", "-bB", users.toString(), "bob", "bob-pw");
        locked = HubFixture.start(c -> c.withAuth(new HubConfig.Auth(users, false, List.of(
                new HubConfig.Rule(List.of("alice"), "", java.util.Set.of("*")),
                new HubConfig.Rule(List.of("bob"), "bob/", java.util.Set.of("pull", "push"))))));
    }

    static String log() {
        try {
            return Files.readString(dir.resolve("dockerd.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (open != null) open.close();
        if (locked != null) locked.close();
        if (dockerd != null) {
            dockerd.destroy();
            if (!dockerd.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) dockerd.destroyForcibly().waitFor();
        }
        if (dir != null) {
            Cmd.exec("sh", "-c", "grep ' " + dir + "/' /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r umount -l");
            io.andock.os.FileTrees.removeTree(dir);
        }
    }

    static Cmd.Result docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/docker"));
        cmd.addAll(List.of(args));
        return Cmd.exec(cmd, Map.of("DOCKER_HOST", "unix://" + dir.resolve("docker.sock"), "DOCKER_CONFIG", dir.resolve("config").toString()),
                Duration.ofMinutes(3));
    }

    static Cmd.Result dockerStdin(String stdin, String... args) {
        String cmd = "printf '%s' '" + stdin + "' | /usr/bin/docker " + String.join(" ", args);
        return Cmd.exec(List.of("sh", "-c", cmd), Map.of("DOCKER_HOST", "unix://" + dir.resolve("docker.sock"),
                "DOCKER_CONFIG", dir.resolve("config").toString()), Duration.ofMinutes(3));
    }

    static void ok(Cmd.Result r) {
        assertThat(r.exitCode()).as(r.command() + "\n" + r.stdout() + r.stderr()).isZero();
    }

    @Test
    void pullsAndPushesAFreshLayer() throws Exception {
        HubFixture.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "oci:" + Fixtures.layout("busybox") + ":latest",
                "docker://" + open.host() + "/library/busybox:1")).check();
        ok(docker("pull", open.host() + "/library/busybox:1"));
        // a layer the hub has never seen: docker import makes it, docker push streams it
        Path tar = dir.resolve("fresh.tar");
        Path src = Files.createDirectories(dir.resolve("fresh"));
        Files.writeString(src.resolve("hello.txt"), "fresh layer " + System.nanoTime() + "\n");
        Cmd.run("tar", "-C", src.toString(), "-cf", tar.toString(), ".");
        ok(docker("import", tar.toString(), open.host() + "/team/fresh:1"));
        ok(docker("push", open.host() + "/team/fresh:1"));
        String pushed = docker("inspect", "--format", "{{index .RepoDigests 0}}", open.host() + "/team/fresh:1").stdout().trim();
        ok(docker("rmi", open.host() + "/team/fresh:1"));
        ok(docker("pull", open.host() + "/team/fresh:1"));
        assertThat(docker("inspect", "--format", "{{index .RepoDigests 0}}", open.host() + "/team/fresh:1").stdout().trim()).isEqualTo(pushed);
        String digest = pushed.substring(pushed.indexOf('@') + 1);
        String viaSkopeo = HubFixture.run(List.of("skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                "docker://" + open.host() + "/team/fresh:1")).check().stdout().trim();
        assertThat(viaSkopeo).isEqualTo(digest);
    }

    @Test
    void logsInToTheHubsTokenServerAndHasItsRights() throws Exception {
        HubFixture.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:alice-pw",
                "oci:" + Fixtures.layout("busybox") + ":latest", "docker://" + locked.host() + "/team/busybox:1")).check();
        // anonymous pull is off
        Cmd.Result anon = docker("pull", locked.host() + "/team/busybox:1");
        assertThat(anon.exitCode()).isNotZero();
        Cmd.Result wrong = dockerStdin("nope", "login", "-u", "alice", "--password-stdin", locked.host());
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.stderr()).containsIgnoringCase("unauthorized");
        // bob: pull and push under bob/ only
        ok(dockerStdin("bob-pw", "login", "-u", "bob", "--password-stdin", locked.host()));
        Cmd.Result notHis = docker("pull", locked.host() + "/team/busybox:1");
        assertThat(notHis.exitCode()).isNotZero();
        ok(pullFirst());
        ok(docker("tag", open.host() + "/library/busybox:1", locked.host() + "/bob/busybox:1"));
        ok(docker("push", locked.host() + "/bob/busybox:1"));
        ok(docker("tag", open.host() + "/library/busybox:1", locked.host() + "/team/bob-was-here:1"));
        Cmd.Result denied = docker("push", locked.host() + "/team/bob-was-here:1");
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr() + denied.stdout()).containsIgnoringCase("denied");
        // alice: everything
        ok(dockerStdin("alice-pw", "login", "-u", "alice", "--password-stdin", locked.host()));
        ok(docker("pull", locked.host() + "/team/busybox:1"));
        ok(docker("pull", locked.host() + "/bob/busybox:1"));
        ok(docker("logout", locked.host()));
    }

    @Test
    void pullsThroughTheHubAsItsRegistryMirror() throws Exception {
        io.andock.testkit.TestRegistry upstream = io.andock.testkit.TestRegistry.builder().start();
        try {
            List<Fixtures.Image> images = new ArrayList<>();
            for (Fixtures.Image i : Fixtures.imageList("busybox:latest")) {
                images.add(new Fixtures.Image(i.layout(), i.tag(), "library/" + i.repoTag(), i.skopeoOptions(), false));
            }
            upstream.push(images);
            HubConfig.Upstream up = new HubConfig.Upstream("docker.io", java.net.URI.create("http://" + upstream.host()), null, null);
            try (HubFixture mirror = HubFixture.start(c -> c.withMirroring(new HubConfig.Mirroring(List.of(up), 300)))) {
                // registry-mirrors is one of the settings dockerd reloads on SIGHUP
                Files.writeString(dir.resolve("daemon.json"), "{\"registry-mirrors\": [\"" + mirror.url() + "\"]}");
                long pid = Long.parseLong(Files.readString(dir.resolve("dockerd.pid")).trim());
                Cmd.run("kill", "-HUP", Long.toString(pid));
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!docker("info", "--format", "{{.RegistryConfig.Mirrors}}").stdout().contains(mirror.url()) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                ok(docker("pull", "busybox:latest"));
                String digests = docker("inspect", "--format", "{{json .RepoDigests}}", "busybox:latest").stdout().trim();
                assertThat(digests).contains("\"busybox@" + Fixtures.manifestDigest("busybox", "latest") + "\"");
                assertThat(upstream.log()).contains("GET /v2/library/busybox/manifests/latest");
                assertThat(mirror.hub.registry().catalog()).contains("docker.io/library/busybox");
            } finally {
                Files.writeString(dir.resolve("daemon.json"), "{}");
                Cmd.exec("sh", "-c", "kill -HUP $(cat " + dir.resolve("dockerd.pid") + ")");
            }
        } finally {
            upstream.close();
        }
    }

    private static Cmd.Result pullFirst() {
        HubFixture.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "oci:" + Fixtures.layout("busybox") + ":latest",
                "docker://" + open.host() + "/library/busybox:1")).check();
        return docker("pull", open.host() + "/library/busybox:1");
    }
}
