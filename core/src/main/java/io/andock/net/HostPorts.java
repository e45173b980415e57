package io.andock.net;

import io.andock.AndockException;
import io.andock.container.PortBinding;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;

/** Host ports as {@code -p} needs them: whether two bindings clash, whether one is free now, a free one. */
final class HostPorts {
    private HostPorts() {}

    static boolean clash(PortBinding p, PortBinding q) {
        return p.hostPort() == q.hostPort() && p.protocol().equals(q.protocol()) && ipsOverlap(p.hostIp(), q.hostIp());
    }

    static boolean ipsOverlap(String a, String b) {
        return a.isEmpty() || b.isEmpty() || a.equals("0.0.0.0") || b.equals("0.0.0.0") || a.equals(b);
    }

    static boolean bindable(PortBinding p) {
        InetSocketAddress at = new InetSocketAddress(p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), p.hostPort());
        try {
            if (p.protocol().equals("udp")) {
                try (DatagramChannel d = DatagramChannel.open()) {
                    d.bind(at);
                }
            } else {
                try (ServerSocketChannel s = ServerSocketChannel.open()) {
                    s.bind(at);
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A host port free now, for {@code -p C} (Docker picks one from the ephemeral range too). */
    static int freePort(PortBinding p) {
        InetSocketAddress any = new InetSocketAddress(p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), 0);
        try {
            if (p.protocol().equals("udp")) {
                try (DatagramChannel d = DatagramChannel.open()) {
                    d.bind(any);
                    return ((InetSocketAddress) d.getLocalAddress()).getPort();
                }
            }
            try (ServerSocketChannel s = ServerSocketChannel.open()) {
                s.bind(any);
                return ((InetSocketAddress) s.getLocalAddress()).getPort();
            }
        } catch (IOException e) {
            throw AndockException.wrap("pick a host port for " + p.key(), e);
        }
    }
}
