package io.andock.daemon;

import io.andock.AndockException;
import io.andock.tls.PemKeys;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One {@code -H} address: {@code unix:///path} (socket mode 0660) or {@code tcp://host:port}. Plain TCP is only
 * allowed on loopback addresses; anything else needs {@link Tls} with client certificates (mutual TLS).
 */
public record Listener(String scheme, Path socket, String host, int port, Tls tls) {
    /** Idle timeout of ordinary requests: a client that stalls mid-request is dropped after it. */
    static final long IDLE_TIMEOUT_MS = 120_000;

    /** Mutual TLS: the server's certificate and key, and the CA client certificates must chain to. */
    public record Tls(Path ca, Path cert, Path key) {}

    public static Listener parse(String h, Tls tls) {
        if (h.startsWith("unix://")) return new Listener("unix", Path.of(h.substring(7)), null, 0, null);
        if (h.startsWith("/")) return new Listener("unix", Path.of(h), null, 0, null);
        if (h.startsWith("tcp://")) {
            URI u = URI.create(h);
            String host = u.getHost() == null ? "0.0.0.0" : u.getHost();
            int port = u.getPort() >= 0 ? u.getPort() : tls != null ? 2376 : 2375; // :0 picks a free port
            if (tls == null && !loopback(host)) {
                throw AndockException.invalid("refusing plain TCP on " + host + ":" + port
                        + ": the API gives root-equivalent control; use a loopback address, or --tlsverify with --tlscacert/--tlscert/--tlskey");
            }
            return new Listener("tcp", null, host, port, tls);
        }
        throw AndockException.invalid("unsupported -H address " + h + " (unix:///path or tcp://host:port)");
    }

    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A listener added to a server; {@link #started()} after the server starts, {@link #closed()} after it stops. */
    interface Bound {
        String address();

        default void started() throws IOException {
        }

        default void closed() {
        }
    }

    Bound bind(Server server) throws Exception {
        HttpConfiguration hc = new HttpConfiguration();
        hc.setSendServerVersion(false);
        hc.setSendXPoweredBy(false);
        hc.setRequestHeaderSize(64 * 1024);
        hc.setIdleTimeout(IDLE_TIMEOUT_MS);
        // image names arrive with %2F inside one path segment (Testcontainers: /images/127.0.0.1:5000%2Fbusybox/json)
        hc.setUriCompliance(org.eclipse.jetty.http.UriCompliance.LEGACY);
        if (scheme.equals("unix")) {
            Path p = socket.toAbsolutePath();
            Files.createDirectories(p.getParent());
            if (Files.exists(p) && !Files.isDirectory(p)) Files.delete(p); // a stale socket from a killed daemon
            UnixDomainServerConnector c = new UnixDomainServerConnector(server, 1, 1, new HttpConnectionFactory(hc));
            c.setUnixDomainPath(p);
            c.setIdleTimeout(IDLE_TIMEOUT_MS);
            c.setAcceptQueueSize(256);
            server.addConnector(c);
            return new Bound() {
                public String address() {
                    return "unix://" + p;
                }

                public void started() throws IOException {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw----"));
                }

                public void closed() {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            };
        }
        ServerConnector c;
        if (tls != null) {
            hc.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(PemKeys.keyStore(tls.cert(), tls.key()));
            ssl.setKeyStorePassword(PemKeys.PASSWORD);
            ssl.setTrustStore(PemKeys.trustStore(tls.ca()));
            ssl.setNeedClientAuth(true);
            ssl.setEndpointIdentificationAlgorithm(null);
            c = new ServerConnector(server, 1, 1, new ConnectionFactory[]{
                    new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(hc)});
        } else {
            c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(hc));
        }
        c.setHost(host);
        c.setPort(port);
        c.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(c);
        ServerConnector sc = c;
        return () -> "tcp://" + host + ":" + (sc.getLocalPort() > 0 ? sc.getLocalPort() : port);
    }
}
