package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Legacy links through the real docker CLI (issue 10, class 1 and 5): {@code --link NAME:ALIAS} gives the alias in
 * /etc/hosts and dockerd's variables, inspect shows {@code /name:/container/alias}, {@code docker rm --link} takes
 * it away, an unknown container is refused.
 */
class DockerCliLinksTest {
    static DaemonFixture f;
    static String bb, app;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
        bb = f.image("busybox");
        app = f.image("busybox:configured");
        assertThat(f.run("pull", "-q", bb).code()).isZero();
        assertThat(f.run("pull", "-q", app).code()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        f.run("rm", "-f", "lk-db", "lk-web");
        f.close();
    }

    @Test
    void link_aliasResolves_variablesAsDockerd_inspectShape_andRmLink() throws Exception {
        var db = f.run("run", "-d", "--name", "lk-db", "-e", "SECRET=s3", app);
        assertThat(db.code()).as(db.all()).isZero();
        var web = f.run("run", "--name", "lk-web", "--link", "lk-db:db", bb, "sh", "-c",
                "env | grep ^DB_ | sort; grep -w db /etc/hosts; wget -qO- http://db:8080/");
        assertThat(web.code()).as(web.all()).isZero();
        List<String> out = web.out().lines().toList();
        // the linked container's address: on the bridge (oci), else loopback
        String addr = out.stream().filter(l -> l.startsWith("DB_PORT_8080_TCP_ADDR=")).findFirst().orElse("=").split("=")[1];
        assertThat(addr).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(out).contains("DB_PORT=tcp://" + addr + ":8080", "DB_PORT_8080_TCP=tcp://" + addr + ":8080",
                "DB_PORT_8080_TCP_ADDR=" + addr, "DB_PORT_8080_TCP_PORT=8080", "DB_PORT_8080_TCP_PROTO=tcp",
                "DB_NAME=/lk-web/db", "DB_ENV_SECRET=s3", "DB_ENV_FIXTURE_GREETING=hello world",
                addr + "\tdb lk-db", "hello from andock busybox:configured");
        assertThat(out).noneMatch(l -> l.startsWith("DB_ENV_PATH="));
        assertThat(f.run("inspect", "-f", "{{json .HostConfig.Links}}", "lk-web").out().trim()).isEqualTo("[\"/lk-db:/lk-web/db\"]");

        var rm = f.run("rm", "--link", "/lk-web/db");
        assertThat(rm.code()).as(rm.all()).isZero();
        assertThat(f.run("inspect", "-f", "{{json .HostConfig.Links}}", "lk-web").out().trim()).isEqualTo("null");
        assertThat(f.run("inspect", "lk-db").code()).isZero(); // the linked container stays

        var unknown = f.run("create", "--link", "nosuch:x", bb);
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("could not get container for nosuch");
    }
}
