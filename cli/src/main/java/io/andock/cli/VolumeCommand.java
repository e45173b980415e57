package io.andock.cli;

import io.andock.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code andock volume ls|create|rm|inspect}: named volumes under {@code <root>/volumes/NAME/_data}. */
@Command(name = "volume", description = "Manage volumes.",
        subcommands = {VolumeCommand.Ls.class, VolumeCommand.Create.class, VolumeCommand.Rm.class, VolumeCommand.Inspect.class})
final class VolumeCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "ls", aliases = "list", description = "List volumes.")
    static final class Ls extends EngineCommand {
        @Option(names = {"-q", "--quiet"})
        boolean quiet;

        @Override
        protected int call(Cli cli) {
            List<String> names = cli.engine().containers().volumes().list();
            if (quiet) {
                names.forEach(cli.out()::println);
                return 0;
            }
            Table t = new Table("DRIVER", "VOLUME NAME");
            for (String n : names) t.row("local", n);
            t.print(cli.out());
            return 0;
        }
    }

    @Command(name = "create", description = "Create a volume (a random name when none is given).")
    static final class Create extends EngineCommand {
        @Parameters(arity = "0..1", paramLabel = "NAME")
        String name;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set metadata on the volume (a new one only, as Docker)")
        List<String> labels = new java.util.ArrayList<>();

        @Override
        protected int call(Cli cli) {
            Map<String, String> l = new LinkedHashMap<>();
            for (String kv : labels) {
                int eq = kv.indexOf('=');
                l.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
            }
            cli.out().println(cli.engine().containers().volumes().create(name, l).name());
            return 0;
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Remove volumes (refused while a container uses one, unless -f).")
    static final class Rm extends EngineCommand {
        @Option(names = {"-f", "--force"})
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Override
        protected int call(Cli cli) {
            return cli.forEach(names, n -> cli.engine().containers().volumes().remove(n, force));
        }
    }

    @Command(name = "inspect", description = "Show volumes as JSON.")
    static final class Inspect extends EngineCommand {
        @Parameters(arity = "1..*", paramLabel = "VOLUME")
        List<String> names;

        @Override
        protected int call(Cli cli) {
            var volumes = cli.engine().containers().volumes();
            List<Object> out = new java.util.ArrayList<>();
            for (String n : names) {
                var v = volumes.inspect(n);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Driver", "local");
                m.put("Labels", new java.util.TreeMap<>(v.labels()));
                m.put("Mountpoint", v.mountpoint().toString());
                m.put("Name", n);
                m.put("Scope", "local");
                out.add(m);
            }
            cli.out().println(Json.pretty(out, 4));
            return 0;
        }
    }
}
