package io.andock.daemon;

import io.andock.engine.EngineConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java io.andock.daemon.DaemonMain [--root DIR] [--driver NAME] [-H ADDR]... [--tlsverify --tlscacert F
 * --tlscert F --tlskey F]}: the daemon without the CLI (tests run it as a separate process to kill -9 it).
 */
public final class DaemonMain {
    private DaemonMain() {}

    public static void main(String[] args) throws Exception {
        Path root = null;
        String driver = null;
        List<String> hosts = new ArrayList<>();
        boolean tlsVerify = false;
        Path ca = null, cert = null, key = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--driver" -> driver = args[++i];
                case "-H", "--host" -> hosts.add(args[++i]);
                case "--tlsverify" -> tlsVerify = true;
                case "--tlscacert" -> ca = Path.of(args[++i]);
                case "--tlscert" -> cert = Path.of(args[++i]);
                case "--tlskey" -> key = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        EngineConfig config = EngineConfig.load(root);
        Daemon d = Daemon.start(config, listeners(hosts, config, tlsVerify, ca, cert, key), driver);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                d.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "andock-daemon-stop"));
        System.out.println("andock daemon listening on " + String.join(", ", d.addresses()));
        System.out.flush();
        d.join();
    }

    /** The {@code -H} addresses, or the default socket; TLS options apply to every TCP address. */
    public static List<Listener> listeners(List<String> hosts, EngineConfig config, boolean tlsVerify, Path ca, Path cert, Path key) {
        Listener.Tls tls = null;
        if (tlsVerify) {
            if (ca == null || cert == null || key == null) {
                throw io.andock.AndockException.invalid("--tlsverify needs --tlscacert, --tlscert and --tlskey");
            }
            tls = new Listener.Tls(ca, cert, key);
        }
        List<Listener> out = new ArrayList<>();
        if (hosts.isEmpty()) hosts = List.of("unix://" + defaultSocket(config.root(), System.getenv()));
        for (String h : hosts) out.add(Listener.parse(h, tls));
        return out;
    }

    /** {@code $XDG_RUNTIME_DIR/andock.sock}, else {@code <root>/andock.sock}. */
    public static Path defaultSocket(Path root, Map<String, String> env) {
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "andock.sock");
        return root.resolve("andock.sock");
    }
}
