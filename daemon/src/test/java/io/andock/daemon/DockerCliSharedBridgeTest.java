package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Two daemons on two roots, driven by the real docker CLI: one bridge, distinct addresses, ports never given twice. */
class DockerCliSharedBridgeTest {
    static DaemonFixture a;
    static DaemonFixture b;
    static String image;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "bridge networks need root and the CNI plugins");
        a = new DaemonFixture();
        b = new DaemonFixture();
        image = a.image("busybox:configured");
        assertThat(a.run("pull", "-q", image).code()).isZero();
        assertThat(b.run("pull", "-q", image).code()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    @Test
    void run_p_onTwoDaemons_sharesOneBridge_andRefusesAPortTheOtherPublishes() throws Exception {
        int pa = free(), pb = free();
        DaemonFixture.Result ra = a.run("run", "-d", "--name", "web", "-p", pa + ":8080", image);
        assertThat(ra.code()).as(ra.all()).isZero();
        DaemonFixture.Result rb = b.run("run", "-d", "--name", "web", "-p", pb + ":8080", image);
        assertThat(rb.code()).as(rb.all()).isZero();
        // inspect's NetworkSettings are blank in the API today: the containers' /etc/hosts name their addresses
        DaemonFixture.Result ea = a.run("exec", "web", "hostname", "-i"), eb = b.run("exec", "web", "hostname", "-i");
        String ia = ea.out().strip(), ib = eb.out().strip();
        assertThat(ia).as(ea.all()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(ib).as(eb.all()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+").isNotEqualTo(ia);
        // one /16 for both: the shared bridge's
        assertThat(ia.substring(0, ia.indexOf('.', ia.indexOf('.') + 1))).isEqualTo(ib.substring(0, ib.indexOf('.', ib.indexOf('.') + 1)));

        DaemonFixture.Result taken = b.run("run", "-d", "--name", "again", "-p", pa + ":8080", image);
        assertThat(taken.code()).isNotZero();
        assertThat(taken.err()).contains("Bind for 0.0.0.0:" + pa + " failed: port is already allocated");
        assertThat(a.run("rm", "-f", "web").code()).isZero();
        assertThat(b.run("rm", "-f", "web", "again").code()).isZero();
    }

    static int free() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
