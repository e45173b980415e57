package io.andock.net;

import io.andock.AndockException;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A userspace port forwarder for TCP and UDP, one thread and one selector for all of a container's ports (what
 * docker-proxy does per port). {@link #bind} takes every listening socket first, so a taken port fails before the
 * container starts; {@link #run} then forwards until {@code stop} says so (asked about once a second).
 *
 * <p>TCP: each accepted connection gets a non-blocking connection to the target and two 8 KiB buffers; a
 * direction stops reading while its buffer is full, half-closes are passed on, and a failed connect closes the
 * client. UDP: each client address gets its own socket connected to the target; replies go back to that client
 * from the listening socket; flows idle for {@link #UDP_IDLE_MS} are dropped.
 */
public final class PortProxy implements AutoCloseable {
    static final int BUFFER = 8192;
    static final long UDP_IDLE_MS = 60_000;

    private final Selector selector;
    private final List<PortRule> rules;

    private PortProxy(Selector selector, List<PortRule> rules) {
        this.selector = selector;
        this.rules = List.copyOf(rules);
    }

    /** Binds every rule's listening socket; a taken port is a conflict with Docker's message. */
    public static PortProxy bind(List<PortRule> rules) {
        Selector sel;
        try {
            sel = Selector.open();
        } catch (IOException e) {
            throw AndockException.wrap("port proxy", e);
        }
        PortProxy p = new PortProxy(sel, rules);
        try {
            for (PortRule r : rules) {
                try {
                    if (r.proto().equals("tcp")) {
                        ServerSocketChannel s = ServerSocketChannel.open();
                        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                        s.bind(r.listen(), 128);
                        s.configureBlocking(false);
                        s.register(sel, SelectionKey.OP_ACCEPT, r);
                    } else {
                        DatagramChannel d = DatagramChannel.open();
                        d.bind(r.listen());
                        d.configureBlocking(false);
                        d.register(sel, SelectionKey.OP_READ, new UdpListener(d, r));
                    }
                } catch (BindException e) {
                    throw AndockException.conflict(PortRule.allocatedMessage(r.listenIp(), r.listenPort()));
                }
            }
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e instanceof AndockException a ? a : AndockException.wrap("port proxy: bind", e);
        }
        return p;
    }

    public List<PortRule> rules() {
        return rules;
    }

    /** Forwards until {@code stop} returns true or the selector is closed. */
    public void run(BooleanSupplier stop) throws IOException {
        long nextCheck = 0;
        while (selector.isOpen()) {
            selector.select(1000);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                if (!k.isValid()) continue;
                Object a = k.attachment();
                try {
                    if (a instanceof PortRule r) accept((ServerSocketChannel) k.channel(), r);
                    else if (a instanceof TcpEnd e) e.link.ready(e, k);
                    else if (a instanceof UdpListener l) l.receive(selector);
                    else if (a instanceof UdpFlow f) f.reply();
                } catch (IOException ex) {
                    if (a instanceof TcpEnd e) e.link.close();
                    else if (a instanceof UdpFlow f) f.close();
                }
            }
            long now = System.currentTimeMillis();
            if (now >= nextCheck) {
                nextCheck = now + 1000;
                if (stop.getAsBoolean()) return;
                for (SelectionKey k : selector.keys()) {
                    if (k.attachment() instanceof UdpListener l) l.expire(now);
                }
            }
        }
    }

    private void accept(ServerSocketChannel server, PortRule r) throws IOException {
        SocketChannel client = server.accept();
        if (client == null) return;
        client.configureBlocking(false);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SocketChannel upstream = SocketChannel.open();
        upstream.configureBlocking(false);
        upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
        TcpLink link = new TcpLink(client, upstream);
        try {
            boolean connected = upstream.connect(r.target());
            link.clientKey = client.register(selector, 0, link.clientEnd);
            link.upstreamKey = upstream.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, link.upstreamEnd);
            if (connected) link.update();
        } catch (IOException e) {
            link.close();
        }
    }

    @Override
    public void close() {
        for (SelectionKey k : selector.keys()) closeQuietly(k.channel());
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    static void closeQuietly(java.nio.channels.Channel c) {
        try {
            if (c != null) c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private record TcpEnd(TcpLink link, boolean client) {}

    /** One proxied TCP connection: client ⇄ upstream, one buffer per direction (read mode: pending bytes). */
    private static final class TcpLink {
        final SocketChannel client, upstream;
        final TcpEnd clientEnd = new TcpEnd(this, true), upstreamEnd = new TcpEnd(this, false);
        final ByteBuffer toUpstream = ByteBuffer.allocate(BUFFER).flip(), toClient = ByteBuffer.allocate(BUFFER).flip();
        SelectionKey clientKey, upstreamKey;
        boolean connected, clientEof, upstreamEof, clientShut, upstreamShut;

        TcpLink(SocketChannel client, SocketChannel upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void ready(TcpEnd end, SelectionKey k) throws IOException {
            if (!end.client() && k.isConnectable()) {
                upstream.finishConnect();
                connected = true;
            }
            if (k.isValid() && k.isWritable()) {
                if (end.client()) client.write(toClient);
                else upstream.write(toUpstream);
            }
            if (k.isValid() && k.isReadable()) {
                ByteBuffer buf = end.client() ? toUpstream : toClient;
                if (!buf.hasRemaining()) {
                    buf.clear();
                    int n = (end.client() ? client : upstream).read(buf);
                    buf.flip();
                    if (n < 0) {
                        if (end.client()) clientEof = true;
                        else upstreamEof = true;
                    }
                }
            }
            update();
        }

        /** Interest ops from the buffers; half-closes once a direction is drained; closes when both are done. */
        void update() throws IOException {
            if (!connected) return;
            if (clientEof && !toUpstream.hasRemaining() && !upstreamShut) {
                upstream.shutdownOutput();
                upstreamShut = true;
            }
            if (upstreamEof && !toClient.hasRemaining() && !clientShut) {
                client.shutdownOutput();
                clientShut = true;
            }
            if (clientShut && upstreamShut) {
                close();
                return;
            }
            clientKey.interestOps((clientEof || toUpstream.hasRemaining() ? 0 : SelectionKey.OP_READ)
                    | (toClient.hasRemaining() ? SelectionKey.OP_WRITE : 0));
            upstreamKey.interestOps((upstreamEof || toClient.hasRemaining() ? 0 : SelectionKey.OP_READ)
                    | (toUpstream.hasRemaining() ? SelectionKey.OP_WRITE : 0));
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** A UDP port: datagrams from each client go out through that client's flow. */
    private static final class UdpListener {
        final DatagramChannel channel;
        final PortRule rule;
        final Map<SocketAddress, UdpFlow> flows = new HashMap<>();
        final ByteBuffer buf = ByteBuffer.allocate(65536);

        UdpListener(DatagramChannel channel, PortRule rule) {
            this.channel = channel;
            this.rule = rule;
        }

        void receive(Selector sel) throws IOException {
            buf.clear();
            SocketAddress from = channel.receive(buf);
            if (from == null) return;
            buf.flip();
            UdpFlow f = flows.get(from);
            if (f == null || !f.upstream.isOpen()) {
                DatagramChannel up = DatagramChannel.open();
                try {
                    up.connect(rule.target());
                    up.configureBlocking(false);
                    f = new UdpFlow(this, from, up);
                    up.register(sel, SelectionKey.OP_READ, f);
                } catch (IOException e) {
                    closeQuietly(up);
                    return;
                }
                flows.put(from, f);
            }
            f.lastUsed = System.currentTimeMillis();
            try {
                f.upstream.write(buf);
            } catch (IOException e) {
                f.close(); // e.g. ICMP port unreachable from an earlier datagram: the next one gets a fresh flow
            }
        }

        void expire(long now) {
            for (UdpFlow f : new ArrayList<>(flows.values())) {
                if (now - f.lastUsed > UDP_IDLE_MS) f.close();
            }
        }
    }

    private static final class UdpFlow {
        final UdpListener owner;
        final SocketAddress client;
        final DatagramChannel upstream;
        long lastUsed = System.currentTimeMillis();

        UdpFlow(UdpListener owner, SocketAddress client, DatagramChannel upstream) {
            this.owner = owner;
            this.client = client;
            this.upstream = upstream;
        }

        void reply() throws IOException {
            ByteBuffer buf = owner.buf;
            buf.clear();
            if (upstream.read(buf) < 0) return;
            buf.flip();
            lastUsed = System.currentTimeMillis();
            owner.channel.send(buf, client);
        }

        void close() {
            closeQuietly(upstream);
            owner.flows.remove(client, this);
        }
    }
}
