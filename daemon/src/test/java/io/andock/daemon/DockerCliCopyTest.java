package io.andock.daemon;

import io.andock.testkit.EscapingTars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker cp} through the daemon (the real docker CLI) never reaches the host: symlinks the container planted,
 * {@code ..} paths, hostile tars. Every case writes or reads a file with a unique name and checks that the host has
 * no file of that name and that the container got it where Docker would put it. With each driver.
 */
class DockerCliCopyTest {
    private static final Map<String, DaemonFixture> FIXTURES = new HashMap<>();

    private static synchronized DaemonFixture daemon(String driver) throws Exception {
        DaemonFixture f = FIXTURES.get(driver);
        if (f == null) {
            f = DaemonFixture.withDriver(driver);
            FIXTURES.put(driver, f);
            assertThat(f.run("pull", "-q", f.image("busybox")).code()).isZero();
        }
        return f;
    }

    @AfterAll
    static void stop() throws Exception {
        for (DaemonFixture f : FIXTURES.values()) f.close();
    }

    /** A running container with the traps of the issue planted: {@code /x -> /}, {@code /y -> ../../../..}, {@code /link -> /etc/passwd}. */
    private static String trapped(DaemonFixture f) throws Exception {
        var r = f.run("run", "-d", f.image("busybox"), "sh", "-c",
                "ln -s / /x; ln -s ../../../.. /y; ln -s /etc/passwd /link; ln -s etc /rel; mkdir /d; touch /ready; sleep 1000");
        assertThat(r.code()).as(r.all()).isZero();
        String id = r.out().strip();
        for (int i = 0; i < 100 && f.run("exec", id, "test", "-e", "/ready").code() != 0; i++) Thread.sleep(100);
        return id;
    }

    private static String marker() {
        return "andock-cp-" + UUID.randomUUID();
    }

    private static String cat(DaemonFixture f, String id, String path) throws Exception {
        var r = f.run("exec", id, "cat", path);
        assertThat(r.code()).as(path + ": " + r.all()).isZero();
        return r.out();
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void copyIn_throughSymlinksAndDots_landsInTheContainer(String driver) throws Exception {
        DaemonFixture f = daemon(driver);
        String id = trapped(f);
        Path src = Files.createTempDirectory("cp-src").resolve("f");
        Files.writeString(src, "contained\n");
        for (String via : List.of("/x/tmp/", "/y/tmp/", "/../../../../tmp/", "../../../tmp/", "/rel/../tmp/")) {
            String m = marker();
            var r = f.run("cp", src.toString(), id + ":" + via + m);
            assertThat(r.code()).as(via + ": " + r.all()).isZero();
            assertThat(Path.of("/tmp", m)).as("host /tmp/" + m + " via " + via).doesNotExist();
            assertThat(cat(f, id, "/tmp/" + m)).isEqualTo("contained\n");
        }
        String hostPasswd = Files.readString(Path.of("/etc/passwd"));
        var link = f.run("cp", src.toString(), id + ":/link");
        assertThat(link.code()).as(link.all()).isZero();
        assertThat(Files.readString(Path.of("/etc/passwd"))).isEqualTo(hostPasswd);
        assertThat(cat(f, id, "/etc/passwd")).as("the container's file behind /link").isEqualTo("contained\n");
        f.run("rm", "-f", id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void copyIn_hostileTar_isRefusedOrContained(String driver) throws Exception {
        DaemonFixture f = daemon(driver);
        String id = trapped(f);
        String shadow = Files.exists(Path.of("/etc/shadow")) ? Files.readString(Path.of("/etc/shadow")) : null;
        for (String variant : EscapingTars.VARIANTS) {
            String m = marker();
            var r = f.runWithInput(EscapingTars.make(variant, m), "cp", "-", id + ":/d");
            assertThat(Path.of("/tmp", m)).as(variant).doesNotExist();
            assertThat(Path.of("/", m)).as(variant).doesNotExist();
            switch (variant) {
                case "dotdot" -> assertThat(r.code()).as(r.all()).isNotZero();
                case "absolute" -> assertThat(cat(f, id, "/d/tmp/" + m)).isEqualTo("pwned\n");
                case "symlink-then-file" -> assertThat(cat(f, id, "/tmp/" + m)).as("a -> / is the container's /").isEqualTo("pwned\n");
                case "hardlink-out" -> {
                    assertThat(r.code()).as("no /d/etc/shadow to link to: " + r.all()).isNotZero();
                    assertThat(r.err()).contains("hardlink target");
                }
                default -> throw new AssertionError(variant);
            }
        }
        if (shadow != null) assertThat(Files.readString(Path.of("/etc/shadow"))).isEqualTo(shadow);
        f.run("rm", "-f", id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void copyOut_throughSymlinks_readsTheContainersFiles(String driver) throws Exception {
        DaemonFixture f = daemon(driver);
        String id = trapped(f);
        assertThat(f.run("exec", id, "sh", "-c", "echo container-hostname > /etc/hostname").code()).isZero();
        for (String via : List.of("/x/etc/hostname", "/y/etc/hostname", "/rel/hostname", "/../../../etc/hostname")) {
            var r = f.run("cp", id + ":" + via, "-");
            assertThat(r.code()).as(via + ": " + r.all()).isZero();
            assertThat(r.out()).as(via).contains("container-hostname");
        }
        Path out = Files.createTempDirectory("cp-out");
        var r = f.run("cp", id + ":/x/etc/hostname", out.resolve("h").toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.readString(out.resolve("h"))).isEqualTo("container-hostname\n");
        var link = f.run("cp", id + ":/link", out.resolve("l").toString());
        assertThat(link.code()).as(link.all()).isZero();
        assertThat(Files.isSymbolicLink(out.resolve("l"))).as("the link itself").isTrue();
        var follow = f.run("cp", "-L", id + ":/link", out.resolve("p").toString());
        assertThat(follow.code()).as(follow.all()).isZero();
        assertThat(Files.readString(out.resolve("p"))).isEqualTo(cat(f, id, "/etc/passwd"));
        var missing = f.run("cp", id + ":/nonexistent", out.toString());
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("Could not find the file /nonexistent in container");
        f.run("rm", "-f", id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void archiveApi_dotDotPaths_stayInTheRootfs(String driver) throws Exception {
        DaemonFixture f = daemon(driver);
        String id = trapped(f);
        for (String path : List.of("/..", "../../..", "/x/..", "/y/../..")) {
            var r = curl(f, "-G", "--data-urlencode", "path=" + path, "http://x/containers/" + id + "/archive");
            assertThat(r).as(path + " ... " + r.substring(Math.max(0, r.length() - 300))).contains("etc/hostname").doesNotContain("config.json").doesNotContain("state.json");
        }
        String m = marker();
        Path tar = Files.createTempFile("cp", ".tar");
        Files.write(tar, EscapingTars.make("absolute", m));
        curl(f, "-X", "PUT", "-T", tar.toString(), "http://x/containers/" + id + "/archive?path=/..");
        assertThat(f.dir.resolve("root")).isDirectory();
        assertThat(cat(f, id, "/tmp/" + m)).isEqualTo("pwned\n");
        assertThat(Path.of("/tmp", m)).doesNotExist();
        String bad = curl(f, "-X", "PUT", "--data-binary", "not a tar at all, really not", "-w", "%{http_code}",
                "http://x/containers/" + id + "/archive?path=/d");
        assertThat(bad).endsWith("400");
        f.run("rm", "-f", id);
    }

    private static String curl(DaemonFixture f, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "--unix-socket", f.socket.toString()));
        cmd.addAll(List.of(args));
        var r = DaemonFixture.collect(new ProcessBuilder(cmd), null, 90);
        return r.out() + r.err();
    }

    /** {@code docker run -d} then {@code docker cp} at once: the runtime may not have made the container yet. */
    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void copyRightAfterRunDetached_works(String driver) throws Exception {
        DaemonFixture f = daemon(driver);
        Path src = Files.createTempDirectory("cp-src").resolve("f");
        Files.writeString(src, "early\n");
        for (int i = 0; i < 5; i++) {
            var run = f.run("run", "-d", f.image("busybox"), "sleep", "1000");
            assertThat(run.code()).as(run.all()).isZero();
            String id = run.out().strip();
            var in = f.run("cp", src.toString(), id + ":/early");
            assertThat(in.code()).as(driver + " cp in, round " + i + ": " + in.all()).isZero();
            var out = f.run("cp", id + ":/early", "-");
            assertThat(out.code()).as(driver + " cp out, round " + i + ": " + out.all()).isZero();
            assertThat(out.out()).contains("early\n");
            f.run("rm", "-f", id);
        }
    }

    /** Volumes and binds: a symlink planted in one stays inside the container's view; {@code :ro} refuses copies in. */
    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void copyThroughVolumesAndBinds_staysInside_readOnlyRefused(String driver) throws Exception {
        DaemonFixture f = daemon(driver);
        Path bind = Files.createTempDirectory("cp-bind");
        Path ro = Files.createTempDirectory("cp-ro");
        String vol = "cpvol" + driver;
        var run = f.run("run", "-d", "-v", vol + ":/vol", "-v", bind + ":/bind", "-v", ro + ":/ro:ro", f.image("busybox"), "sh", "-c",
                "ln -s / /vol/root; ln -s ../../../../.. /vol/up; ln -s / /bind/root; ln -s ../../../../.. /bind/up; touch /ready; sleep 1000");
        assertThat(run.code()).as(run.all()).isZero();
        String id = run.out().strip();
        for (int i = 0; i < 100 && f.run("exec", id, "test", "-e", "/ready").code() != 0; i++) Thread.sleep(100);
        Path src = Files.createTempDirectory("cp-src").resolve("f");
        Files.writeString(src, "in-volume\n");
        // a link in a mount resolves inside that mount's source (the host's /tmp is never reached): written there, or
        // "Could not find" when the mount has no such directory
        for (String via : List.of("/vol/root/", "/vol/up/", "/bind/root/", "/bind/up/", "/vol/root/tmp/", "/bind/up/tmp/")) {
            String m = marker();
            var r = f.run("cp", src.toString(), id + ":" + via + m);
            assertThat(Path.of("/tmp", m)).as("host /tmp/" + m + " via " + via).doesNotExist();
            assertThat(Path.of("/", m)).as("host /" + m + " via " + via).doesNotExist();
            if (r.code() != 0) assertThat(r.err()).as(via).contains("Could not find");
        }
        assertThat(bind.getParent().resolve("f")).doesNotExist();
        var out = f.run("cp", id + ":/bind/up/etc/passwd", "-");
        assertThat(out.out()).doesNotContain(Files.readString(Path.of("/etc/passwd")));
        var refused = f.run("cp", src.toString(), id + ":/ro/f");
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("read-only");
        assertThat(ro.resolve("f")).doesNotExist();
        var noParent = f.run("cp", src.toString(), id + ":/no/such/dir/f");
        assertThat(noParent.code()).isNotZero();
        assertThat(noParent.err()).containsIgnoringCase("could not find");
        f.run("rm", "-f", id);
    }
}
