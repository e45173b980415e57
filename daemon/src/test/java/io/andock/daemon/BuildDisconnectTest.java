package io.andock.daemon;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that hangs up on {@code POST /build} during a silent {@code RUN} (nothing written, so no failed write
 * tells the daemon): the RUN process dies and {@code build-work/} empties within seconds, with every driver.
 */
class BuildDisconnectTest {
    @ParameterizedTest
    @ValueSource(strings = {"oci", "chroot", "proot"})
    void clientHangsUpDuringSilentRun_runKilled_scratchRemoved(String driver) throws Exception {
        try (DaemonFixture f = DaemonFixture.withDriver(driver)) {
            String bb = f.image("busybox");
            assertThat(f.run("pull", "-q", bb).code()).isZero();
            String seconds = Integer.toString(6000 + (int) (ProcessHandle.current().pid() % 1000));
            Path ctx = Files.createDirectories(f.dir.resolve("ctx"));
            Files.writeString(ctx.resolve("Dockerfile"), "FROM " + bb + "\nRUN sleep " + seconds + "\n");
            Path tar = f.dir.resolve("ctx.tar");
            assertThat(new ProcessBuilder("tar", "-C", ctx.toString(), "-cf", tar.toString(), ".").start().waitFor()).isZero();
            byte[] body = Files.readAllBytes(tar);
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(f.socket));
                Channels.newOutputStream(ch).write(("POST /v1.43/build?t=silent:1&nocache=1 HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: application/x-tar\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                Channels.newOutputStream(ch).write(body);
                InputStream in = Channels.newInputStream(ch);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[4096];
                while (!got.toString(StandardCharsets.UTF_8).contains("Running in")) {
                    int n = in.read(buf);
                    assertThat(n).as(got.toString(StandardCharsets.UTF_8)).isPositive();
                    got.write(buf, 0, n);
                }
                for (int i = 0; i < 100 && !running(seconds); i++) Thread.sleep(100);
                assertThat(running(seconds)).as("the RUN step runs").isTrue();
            } // the client hangs up
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && (running(seconds) || !empty(f.root.resolve("build-work")))) Thread.sleep(100);
            assertThat(running(seconds)).as("the RUN process is killed").isFalse();
            assertThat(empty(f.root.resolve("build-work"))).as("build-work/ is empty").isTrue();
            assertThat(f.run("ps", "-a").code()).isZero();
        }
    }

    /** From /proc/PID/cmdline: ProcessHandle cannot describe a process chrooted or in another pid namespace. */
    private static boolean running(String seconds) throws Exception {
        String want = "sleep\u0000" + seconds + "\u0000";
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            return s.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).endsWith(want);
                } catch (Exception gone) {
                    return false;
                }
            });
        }
    }

    private static boolean empty(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return true;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
