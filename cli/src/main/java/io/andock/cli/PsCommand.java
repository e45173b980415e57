package io.andock.cli;

import io.andock.container.ContainerView;
import io.andock.container.ListOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "ps", description = "List containers.")
final class PsCommand extends EngineCommand {
    @Option(names = {"-a", "--all"}, description = "Show all containers (default: running only).")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Only show container IDs.")
    boolean quiet;

    @Option(names = "--no-trunc", description = "Don't truncate output.")
    boolean noTrunc;

    @Option(names = {"-f", "--filter"}, paramLabel = "KEY=VALUE", description = "status=, name=, id=, label=K[=V].")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "'table', 'json' or a Go template such as '{{.Names}} {{.Status}}'.")
    String format;

    @Override
    protected int call(Cli cli) {
        List<ContainerView> list = cli.engine().containers().list(new ListOptions(all, filters));
        Instant now = Instant.now();
        if (quiet) {
            for (ContainerView c : list) cli.out().println(noTrunc ? c.id() : c.record().shortId());
            return 0;
        }
        if (format != null && !format.equals("table")) {
            Template t = new Template(format);
            if (t.table) cli.out().println(t.header());
            for (ContainerView c : list) cli.out().println(t.render(row(c, now)));
            return 0;
        }
        Table table = new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        for (ContainerView c : list) {
            table.row(noTrunc ? c.id() : c.record().shortId(), c.record().imageName(), command(c), created(c, now),
                    c.statusText(now), c.portsText(), c.name());
        }
        table.print(cli.out());
        return 0;
    }

    private String command(ContainerView c) {
        String cmd = c.command();
        if (noTrunc || cmd.length() <= 22) return cmd;
        return cmd.substring(0, 20) + "…\"";
    }

    private static String created(ContainerView c, Instant now) {
        return Units.ago(Instant.parse(c.record().created()), now);
    }

    /** The fields of docker's {@code ps --format json}. */
    private Map<String, Object> row(ContainerView c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Command", command(c));
        m.put("CreatedAt", DockerTime.local(Instant.parse(c.record().created())));
        m.put("ID", noTrunc ? c.id() : c.record().shortId());
        m.put("Image", c.record().imageName());
        List<String> labels = new ArrayList<>();
        c.record().spec().labels().forEach((k, v) -> labels.add(k + "=" + v));
        m.put("Labels", String.join(",", labels));
        m.put("Mounts", "");
        m.put("Names", c.name());
        m.put("Networks", c.record().spec().networkMode() == null ? "host" : c.record().spec().networkMode());
        m.put("Ports", c.portsText());
        m.put("RunningFor", created(c, now));
        m.put("State", c.state().status());
        m.put("Status", c.statusText(now));
        return m;
    }
}
