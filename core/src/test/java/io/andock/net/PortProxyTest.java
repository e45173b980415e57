package io.andock.net;

import io.andock.AndockException;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The userspace proxy in this JVM, against echo servers on loopback: no root, no containers. */
class PortProxyTest {

    @Test
    void tcp_forwardsBothWays_andPassesTheHalfClose() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = upstream.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream()); // until the client's FIN
                    s.shutdownOutput();
                } catch (Exception ignored) {
                    // test fails on the client side
                }
            });
            echo.start();
            int port = free();
            try (Running p = start(new PortRule("tcp", "127.0.0.1", port, "127.0.0.1", upstream.getLocalPort()));
                 Socket c = new Socket("127.0.0.1", port)) {
                byte[] big = new byte[200_000];
                for (int i = 0; i < big.length; i++) big[i] = (byte) i;
                Thread w = new Thread(() -> {
                    try {
                        OutputStream o = c.getOutputStream();
                        o.write(big);
                        c.shutdownOutput();
                    } catch (Exception ignored) {
                        // seen as a short read
                    }
                });
                w.start();
                InputStream in = c.getInputStream();
                assertThat(in.readAllBytes()).isEqualTo(big);
            }
        }
    }

    @Test
    void udp_repliesGoBackToTheSender() throws Exception {
        try (DatagramSocket upstream = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                byte[] b = new byte[1500];
                try {
                    for (int i = 0; i < 2; i++) {
                        DatagramPacket d = new DatagramPacket(b, b.length);
                        upstream.receive(d);
                        String reply = "echo " + new String(d.getData(), 0, d.getLength(), StandardCharsets.UTF_8);
                        upstream.send(new DatagramPacket(reply.getBytes(StandardCharsets.UTF_8), reply.length(), d.getSocketAddress()));
                    }
                } catch (Exception ignored) {
                    // test times out
                }
            });
            echo.start();
            int port = freeUdp();
            try (Running p = start(new PortRule("udp", "127.0.0.1", port, "127.0.0.1", upstream.getLocalPort()))) {
                assertThat(udpAsk("127.0.0.1", port, "one")).isEqualTo("echo one");
                assertThat(udpAsk("127.0.0.1", port, "two")).isEqualTo("echo two");
            }
        }
    }

    @Test
    void takenPort_isDockersAllocatedMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> PortProxy.bind(List.of(new PortRule("tcp", "127.0.0.1", taken.getLocalPort(), "127.0.0.1", 1))))
                    .isInstanceOf(AndockException.class)
                    .hasMessage("Bind for 127.0.0.1:" + taken.getLocalPort() + " failed: port is already allocated");
        }
    }

    static String udpAsk(String host, int port, String msg) throws Exception {
        try (DatagramSocket c = new DatagramSocket()) {
            c.setSoTimeout(5000);
            c.send(new DatagramPacket(msg.getBytes(StandardCharsets.UTF_8), msg.length(), InetAddress.getByName(host), port));
            byte[] b = new byte[1500];
            DatagramPacket d = new DatagramPacket(b, b.length);
            c.receive(d);
            return new String(d.getData(), 0, d.getLength(), StandardCharsets.UTF_8);
        }
    }

    static int free() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int freeUdp() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    private record Running(PortProxy proxy, AtomicBoolean stop, Thread thread) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stop.set(true);
            thread.join(5000);
            proxy.close();
        }
    }

    private static Running start(PortRule... rules) {
        PortProxy p = PortProxy.bind(List.of(rules));
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                p.run(stop::get);
            } catch (Exception ignored) {
                // closed
            }
        });
        t.start();
        return new Running(p, stop, t);
    }
}
