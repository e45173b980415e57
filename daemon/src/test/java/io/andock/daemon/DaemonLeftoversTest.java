package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A request cut off by its client leaves nothing spooled behind. */
class DaemonLeftoversTest {
    static DaemonFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void load_cutOffMidBody_leavesNothingInTmp(boolean chunked) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(f.socket));
            String head = "POST /v1.43/images/load?quiet=1 HTTP/1.1\r\nHost: andock\r\nContent-Type: application/x-tar\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 50000000\r\n") + "\r\n";
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            byte[] block = new byte[64 * 1024];
            for (int i = 0; i < 16; i++) {
                if (chunked) ch.write(ByteBuffer.wrap((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
                ch.write(ByteBuffer.wrap(block));
                if (chunked) ch.write(ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.US_ASCII)));
            }
            for (int i = 0; i < 50 && spools().isEmpty(); i++) Thread.sleep(100);
            assertThat(spools()).as("the upload is being spooled").isNotEmpty();
        } // cut off: the connection closes mid-body
        for (int i = 0; i < 100 && !spools().isEmpty(); i++) Thread.sleep(100);
        assertThat(spools()).isEmpty();
        assertThat(f.run("version").code()).isZero();
    }

    private static List<Path> spools() throws Exception {
        Path tmp = f.root.resolve("tmp");
        if (!Files.isDirectory(tmp)) return List.of();
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("load-")).toList();
        }
    }
}
