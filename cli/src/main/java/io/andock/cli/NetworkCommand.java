package io.andock.cli;

import io.andock.engine.Networks;
import io.andock.json.Json;
import io.andock.net.Endpoint;
import io.andock.net.NetworkMember;
import io.andock.net.NetworkRequest;
import io.andock.net.UserNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code andock network ls|create|rm|inspect|connect|disconnect|prune}: user-defined bridge networks, the same the
 * daemon serves ({@link Networks}). The built-in {@code bridge}, {@code host} and {@code none} are listed, not kept.
 */
@Command(name = "network", description = "Manage networks.",
        subcommands = {NetworkCommand.Ls.class, NetworkCommand.Create.class, NetworkCommand.Rm.class, NetworkCommand.Inspect.class,
                NetworkCommand.Connect.class, NetworkCommand.Disconnect.class, NetworkCommand.Prune.class})
final class NetworkCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "ls", aliases = "list", description = "List networks.")
    static final class Ls extends EngineCommand {
        @Option(names = {"-q", "--quiet"})
        boolean quiet;

        @Override
        protected int call(Cli cli) {
            List<UserNetwork> user = cli.engine().networks().list();
            if (quiet) {
                user.forEach(n -> cli.out().println(n.id().substring(0, 12)));
                return 0;
            }
            Table t = new Table("NETWORK ID", "NAME", "DRIVER", "SCOPE");
            for (String b : Networks.builtin()) t.row("-", b, b.equals("none") ? "null" : b, "local");
            for (UserNetwork n : user) t.row(n.id().substring(0, 12), n.name(), "bridge", "local");
            t.print(cli.out());
            return 0;
        }
    }

    @Command(name = "create", description = "Create a bridge network (its subnet chosen free when none is given; `--driver` is the root option choosing the execution driver).")
    static final class Create extends EngineCommand {
        @Option(names = "--subnet") String subnet;
        @Option(names = "--gateway") String gateway;
        @Option(names = "--ip-range") String ipRange;
        @Option(names = "--internal") boolean internal;
        @Option(names = "--attachable") boolean attachable;
        @Option(names = "--label") List<String> labels = new ArrayList<>();

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        protected int call(Cli cli) {
            Map<String, String> l = new LinkedHashMap<>();
            for (String kv : labels) l.put(kv.contains("=") ? kv.substring(0, kv.indexOf('=')) : kv, kv.contains("=") ? kv.substring(kv.indexOf('=') + 1) : "");
            UserNetwork n = cli.engine().networks().create(new NetworkRequest(name, subnet, gateway, ipRange, internal, attachable, l, Map.of()));
            cli.out().println(n.id());
            return 0;
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove networks (refused while a container is on one).")
    static final class Rm extends EngineCommand {
        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names;

        @Override
        protected int call(Cli cli) {
            return cli.forEach(names, n -> cli.engine().networks().remove(n));
        }
    }

    @Command(name = "inspect", description = "Show networks as JSON.")
    static final class Inspect extends EngineCommand {
        @Parameters(arity = "1..*", paramLabel = "NETWORK")
        List<String> names;

        @Override
        protected int call(Cli cli) {
            Networks networks = cli.engine().networks();
            List<Object> out = new ArrayList<>();
            for (String ref : names) {
                UserNetwork n = networks.inspect(ref);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Name", n.name());
                m.put("Id", n.id());
                m.put("Created", n.created());
                m.put("Driver", "bridge");
                Map<String, Object> config = new LinkedHashMap<>();
                config.put("Subnet", n.subnet());
                if (!n.ipRange().isEmpty()) config.put("IPRange", n.ipRange());
                if (!n.gateway().isEmpty()) config.put("Gateway", n.gateway());
                m.put("IPAM", Map.of("Driver", "default", "Config", List.of(config)));
                m.put("Internal", n.internal());
                Map<String, Object> containers = new LinkedHashMap<>();
                for (NetworkMember c : networks.members(n)) {
                    containers.put(c.containerId(), Map.of("Name", c.name(), "IPv4Address",
                            c.address().isEmpty() ? "" : c.address() + "/" + c.prefixLen(), "MacAddress", c.mac()));
                }
                m.put("Containers", containers);
                m.put("Labels", n.labels());
                out.add(m);
            }
            cli.out().println(Json.pretty(out, 4));
            return 0;
        }
    }

    @Command(name = "connect", description = "Connect a container to a network (at once if it runs).")
    static final class Connect extends EngineCommand {
        @Option(names = "--alias") List<String> aliases = new ArrayList<>();
        @Option(names = "--ip") String ip;
        @Parameters(index = "0", paramLabel = "NETWORK") String network;
        @Parameters(index = "1", paramLabel = "CONTAINER") String container;

        @Override
        protected int call(Cli cli) {
            cli.engine().networks().connect(network, container, new Endpoint(network, aliases, ip));
            return 0;
        }
    }

    @Command(name = "disconnect", description = "Disconnect a container from a network.")
    static final class Disconnect extends EngineCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Parameters(index = "0", paramLabel = "NETWORK") String network;
        @Parameters(index = "1", paramLabel = "CONTAINER") String container;

        @Override
        protected int call(Cli cli) {
            cli.engine().networks().disconnect(network, container, force);
            return 0;
        }
    }

    @Command(name = "prune", description = "Remove every network no container is on.")
    static final class Prune extends EngineCommand {
        @Option(names = {"-f", "--force"}) boolean force;

        @Override
        protected int call(Cli cli) {
            List<String> removed = cli.engine().networks().prune(n -> true);
            if (!removed.isEmpty()) {
                cli.out().println("Deleted Networks:");
                removed.forEach(cli.out()::println);
            }
            return 0;
        }
    }
}
