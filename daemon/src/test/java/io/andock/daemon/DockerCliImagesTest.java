package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** System and image endpoints driven by the real docker CLI 28.2.2. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerCliImagesTest {
    static DaemonFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    @Order(1)
    void version_negotiatesApi147() throws Exception {
        var r = f.run("version");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("1.47 (downgraded from 1.50)").contains("28.2.2-andock");
    }

    @Test
    @Order(2)
    void info_printsServerSection() throws Exception {
        var r = f.run("info");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Server Version: 28.2.2-andock").contains("Execution driver");
        assertThat(f.run("info", "--format", "{{.OSType}}").out().trim()).isEqualTo("linux");
    }

    @Test
    @Order(3)
    void pull_streamsProgressAndImagesListsIt() throws Exception {
        var r = f.run("pull", f.image("busybox"));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Pull complete").contains("Status: Downloaded newer image for " + f.image("busybox:latest"));
        assertThat(f.run("pull", f.image("busybox")).out()).contains("Image is up to date");
        var images = f.run("images", "--format", "{{.Repository}}:{{.Tag}}");
        assertThat(images.out()).contains(f.image("busybox:latest"));
    }

    @Test
    @Order(4)
    void pull_ofMissingImageFails() throws Exception {
        var r = f.run("pull", f.image("nosuch:1"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("manifest unknown");
    }

    @Test
    @Order(5)
    void tag_inspect_rmi() throws Exception {
        assertThat(f.run("tag", f.image("busybox"), "bb:mine").code()).isZero();
        assertThat(f.run("images", "--format", "{{.Repository}}:{{.Tag}}", "bb").out().trim()).isEqualTo("bb:mine");
        assertThat(f.run("image", "inspect", "-f", "{{.Os}}/{{.Architecture}}", "bb:mine").out().trim()).startsWith("linux/");
        var rmi = f.run("rmi", "bb:mine");
        assertThat(rmi.out()).contains("Untagged: bb:mine");
        var missing = f.run("image", "inspect", "bb:mine");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("No such image");
    }

    @Test
    @Order(6)
    void save_pipedIntoLoad() throws Exception {
        assertThat(f.run("tag", f.image("busybox"), "saved:1").code()).isZero();
        Path tar = f.dir.resolve("saved.tar");
        var save = f.run("save", "-o", tar.toString(), "saved:1");
        assertThat(save.code()).as(save.all()).isZero();
        assertThat(Files.size(tar)).isGreaterThan(100_000);
        assertThat(f.run("rmi", "saved:1").code()).isZero();
        var load = f.runWithInput(Files.readAllBytes(tar), "load");
        assertThat(load.code()).as(load.all()).isZero();
        assertThat(load.out()).contains("Loaded image: saved:1");
    }

    @Test
    @Order(7)
    void login_toRegistryWithoutAuth() throws Exception {
        var r = f.run("login", f.registry.host(), "-u", "alice", "-p", "secret");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Login Succeeded");
    }

    @Test
    @Order(8)
    void push_toTheRegistry() throws Exception {
        assertThat(f.run("tag", f.image("busybox"), f.image("pushed:v1")).code()).isZero();
        var r = f.run("push", f.image("pushed:v1"));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("v1: digest: sha256:");
    }

    @Test
    @Order(9)
    void volumes_createListRemove() throws Exception {
        assertThat(f.run("volume", "create", "vol1").out().trim()).isEqualTo("vol1");
        assertThat(f.run("volume", "ls", "-q").out()).contains("vol1");
        assertThat(f.run("volume", "rm", "vol1").code()).isZero();
        assertThat(f.run("volume", "inspect", "vol1").code()).isEqualTo(1);
    }

    @Test
    @Order(10)
    void inspect_unknownObject_walksEveryKindTo404() throws Exception {
        var r = f.run("inspect", "nosuchthing");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("No such object: nosuchthing");
    }
}
