package io.andock.cli;

import io.andock.daemon.Daemon;
import io.andock.daemon.DaemonMain;
import io.andock.engine.EngineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code andock daemon [-H ADDR]... [--tlsverify --tlscacert F --tlscert F --tlskey F]}: serves the Docker Engine
 * API until stopped. Default socket: {@code $XDG_RUNTIME_DIR/andock.sock}, else {@code <root>/andock.sock}.
 * Needs {@code andock-daemon} on the CLI's classpath (cli/pom.xml).
 */
@Command(name = "daemon", description = {
        "Serve the Docker Engine API (docker CLI, docker-java, Testcontainers: export DOCKER_HOST=unix://SOCKET).",
        "Default socket: $XDG_RUNTIME_DIR/andock.sock, else <root>/andock.sock (mode 0660).",
        "Plain TCP only on loopback addresses; elsewhere --tlsverify with client certificates is required."})
final class DaemonCommand extends EngineCommand {
    @Option(names = {"-H", "--host"}, paramLabel = "ADDR", description = "unix:///path or tcp://host:port (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tlsverify", description = "Require client certificates signed by --tlscacert (mutual TLS).")
    boolean tlsVerify;

    @Option(names = "--tlscacert", paramLabel = "FILE", description = "CA that signs client certificates.")
    Path tlsCa;

    @Option(names = "--tlscert", paramLabel = "FILE", description = "The daemon's certificate (PEM).")
    Path tlsCert;

    @Option(names = "--tlskey", paramLabel = "FILE", description = "The daemon's private key (PEM, PKCS#8 or PKCS#1 RSA).")
    Path tlsKey;

    @Override
    protected boolean needsEngine() {
        return false; // the daemon opens its own, for as long as it runs
    }

    @Override
    protected int call(Cli cli) throws Exception {
        AndockCommand root = (AndockCommand) spec.root().userObject();
        EngineConfig config = EngineConfig.load(root.root);
        Daemon d = Daemon.start(config, DaemonMain.listeners(hosts, config, tlsVerify, tlsCa, tlsCert, tlsKey), cli.driver());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                d.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "andock-daemon-stop"));
        for (String a : d.addresses()) cli.err().println("andock daemon listening on " + a);
        cli.err().flush();
        d.join();
        return 0;
    }
}
