package io.andock.cli;

import io.andock.engine.EngineConfig;
import io.andock.hub.Hub;
import io.andock.hub.HubConfig;
import io.andock.hub.HubGc;
import io.andock.hub.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code andock hub serve|gc|status}: the fleet's registry (module {@code hub}). Its data lives in {@code --root}
 * (default: {@code <andock root>/hub}); settings in {@code --config hub.json}, which flags override.
 */
@Command(name = "hub", description = "The fleet's registry: an OCI distribution-spec 1.1 registry (andock hub serve|gc|status|devices).",
        subcommands = {HubCommand.Serve.class, HubCommand.Gc.class, HubCommand.Status.class, HubCommand.Devices.class})
final class HubCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The settings of {@code --config} (if any) with {@code --root} applied. */
    static HubConfig config(picocli.CommandLine.Model.CommandSpec spec, Path configFile) {
        return config(((AndockCommand) spec.root().userObject()).root, configFile);
    }

    /** The settings from {@code configFile} (else the defaults), in {@code root} when given. */
    static HubConfig config(Path root, Path configFile) {
        HubConfig c = configFile != null ? HubConfig.load(configFile) : HubConfig.defaults(null);
        if (root != null) c = c.withRoot(root.toAbsolutePath());
        if (c.root() == null) c = c.withRoot(EngineConfig.load(null).root().resolve("hub"));
        return c;
    }

    @Command(name = "serve", description = {
            "Serve the registry until stopped (embedded store in --root: nothing else to install or start).",
            "Plain HTTP only on loopback unless --plain-http (or \"plain-http\": true); elsewhere give --tls-cert and --tls-key.",
            "hub.json keys: root, addr, tls {cert, key}, plain-http, auth {htpasswd, anonymous-pull, access [{users, prefix, actions}]},",
            "limits {max-manifest-bytes, max-blob-bytes, max-uploads, read-timeout-seconds, max-connections, upload-idle-seconds, max-threads},",
            "sparse-manifests, gc {grace-seconds, interval-seconds}, upstreams {NAME: URL or {url, username, password}}, mirror {tag-ttl-seconds, max-bytes}."})
    static final class Serve extends EngineCommand {
        @Option(names = "--addr", paramLabel = "HOST:PORT", description = "Where to listen (default 127.0.0.1:5000).")
        String addr;

        @Option(names = "--config", paramLabel = "FILE", description = "Settings (JSON, see above).")
        Path configFile;

        @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this certificate chain (PEM).")
        Path tlsCert;

        @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's private key (PEM, PKCS#8 or PKCS#1 RSA).")
        Path tlsKey;

        @Option(names = "--htpasswd", paramLabel = "FILE", description = "Require sign-in: users from this htpasswd file (bcrypt, htpasswd -B).")
        Path htpasswd;

        @Option(names = "--anonymous-pull", description = "With --htpasswd: anyone may pull, signing in is for pushing.")
        boolean anonymousPull;

        @Option(names = "--plain-http", description = "Allow plain HTTP on a non-loopback address (a trusted network only).")
        boolean plainHttp;

        @Option(names = "--sparse-manifests", description = "Accept manifests whose blobs or index children were not pushed.")
        boolean sparse;

        @Option(names = "--upstream", paramLabel = "NAME=URL", description = {
                "Mirror an upstream registry (repeatable): docker.io=https://registry-1.docker.io, ghcr.io=https://ghcr.io.",
                "Reached as HUB/NAME/repo, with ?ns=NAME (containerd, andock), and for docker.io as Docker's registry-mirrors."})
        List<String> upstreams = new java.util.ArrayList<>();

        /** The root option when {@link LeanHubServe} read the line (picocli's model then does not exist). */
        Path leanRoot;

        @Override
        protected boolean needsEngine() {
            return false;
        }

        @Override
        protected int call(Cli cli) throws Exception {
            HubConfig c = spec == null ? config(leanRoot, configFile) : config(spec, configFile);
            if (addr != null) c = c.withAddr(addr);
            if (tlsCert != null || tlsKey != null) {
                if (tlsCert == null || tlsKey == null) throw io.andock.AndockException.invalid("--tls-cert and --tls-key go together");
                c = c.withTls(new HubConfig.Tls(tlsCert.toAbsolutePath(), tlsKey.toAbsolutePath()));
            }
            if (htpasswd != null) {
                c = c.withAuth(new HubConfig.Auth(htpasswd.toAbsolutePath(), anonymousPull, c.auth() == null ? List.of() : c.auth().rules()));
            } else if (anonymousPull) {
                if (c.auth() == null) throw io.andock.AndockException.invalid("--anonymous-pull needs --htpasswd (without users everything is open)");
                c = c.withAuth(new HubConfig.Auth(c.auth().htpasswd(), true, c.auth().rules()));
            }
            if (plainHttp) c = c.withPlainHttp(true);
            if (sparse) c = c.withSparse(true);
            if (!upstreams.isEmpty()) {
                List<HubConfig.Upstream> ups = new java.util.ArrayList<>(c.mirroring().upstreams());
                for (String u : upstreams) {
                    HubConfig.Upstream up = HubConfig.upstream(u);
                    ups.removeIf(o -> o.name().equals(up.name()));
                    ups.add(up);
                }
                c = c.withMirroring(new HubConfig.Mirroring(ups, c.mirroring().tagTtlSeconds()));
            }
            Hub hub = Hub.start(c);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    hub.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }, "andock-hub-stop"));
            cli.err().println("andock hub listening on " + hub.address() + ", root " + c.root());
            cli.err().flush();
            hub.join();
            return 0;
        }
    }

    @Command(name = "gc", description = {
            "Remove untagged manifests, unreferenced blob links and blobs no repository names, then the sync metadata of what went.",
            "Safe while the hub serves: anything younger than the grace time (default 1 h, gc.grace-seconds) is kept."})
    static final class Gc extends EngineCommand {
        @Option(names = "--config", paramLabel = "FILE", description = "The hub's settings (for root and gc.grace-seconds).")
        Path configFile;

        @Option(names = "--grace", paramLabel = "SECONDS", description = "Keep anything younger than this (overrides the config).")
        Long grace;

        @Override
        protected boolean needsEngine() {
            return false;
        }

        @Override
        protected int call(Cli cli) {
            HubConfig c = config(spec, configFile);
            if (grace != null && grace < 0) throw io.andock.AndockException.invalid("--grace must not be negative");
            HubConfig.checkNotEngineStore(c.root());
            Registry r = new Registry(io.andock.hub.Hub.openStorage(c), c.limits(), c.sparseManifests());
            HubGc.Report rep = HubGc.run(r, Duration.ofSeconds(grace != null ? grace : c.gcGraceSeconds()));
            cli.out().println(rep);
            return 0;
        }
    }

    @Command(name = "status", description = "Print what the hub's store holds: repositories, tags, manifests, blobs, bytes.")
    static final class Status extends EngineCommand {
        @Option(names = "--config", paramLabel = "FILE", description = "The hub's settings (for its root).")
        Path configFile;

        @Override
        protected boolean needsEngine() {
            return false;
        }

        @Override
        protected int call(Cli cli) {
            HubConfig c = config(spec, configFile);
            if (!java.nio.file.Files.isDirectory(c.root())) throw io.andock.AndockException.notFound("no hub store in " + c.root());
            HubConfig.checkNotEngineStore(c.root());
            Registry r = new Registry(io.andock.hub.Hub.openStorage(c), c.limits(), c.sparseManifests());
            cli.out().print("root: " + c.root() + "\n" + HubGc.status(r));
            return 0;
        }
    }

    @Command(name = "devices", description = {
            "Print the devices that follow tags on this hub: id, last seen, andock version, driver, followed tags (digest, mode, last outcome).",
            "The same as the page at / and GET /v2/_andock/fleet/devices of a running hub."})
    static final class Devices extends EngineCommand {
        @Option(names = "--config", paramLabel = "FILE", description = "The hub's settings (for its root).")
        Path configFile;

        @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json (one object per device and line).")
        String format = "table";

        @Override
        protected boolean needsEngine() {
            return false;
        }

        @Override
        protected int call(Cli cli) {
            HubConfig c = config(spec, configFile);
            if (c.s3() == null && !java.nio.file.Files.isDirectory(c.root())) throw io.andock.AndockException.notFound("no hub store in " + c.root());
            HubConfig.checkNotEngineStore(c.root());
            List<java.util.Map<String, Object>> devices;
            try (var storage = io.andock.hub.Hub.openStorage(c)) {
                devices = io.andock.hub.fleet.Fleet.devices(storage);
            }
            switch (format) {
                case "table" -> cli.out().print(io.andock.hub.fleet.Fleet.table(devices));
                case "json" -> devices.forEach(d -> cli.out().println(io.andock.json.Json.write(d)));
                default -> throw io.andock.AndockException.invalid("--format must be table or json");
            }
            return 0;
        }
    }
}
