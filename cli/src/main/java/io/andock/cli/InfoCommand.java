package io.andock.cli;

import io.andock.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

@Command(name = "info", description = "Show what this host allows and the execution driver andock chose, and why; runs proot to see what it can do.")
final class InfoCommand extends EngineCommand {
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "'json' or a Go template such as '{{.Driver}}'.")
    String format;

    @Option(names = "--full", description = "Also run the slower probes (runtime versions, a real overlay mount).")
    boolean full;

    @Override
    protected int call(Cli cli) {
        var report = cli.engine().hostReport(cli.driver(), full);
        // proot run for real: some phones' kernels break ptrace, and apps may not make hard links
        var proot = cli.engine().prootCheck();
        if (format == null) {
            cli.out().print(report.toText());
            proot.describe().forEach(cli.out()::println);
            Map<String, Object> store = cli.engine().storeSummary();
            cli.out().println("Store:");
            store.forEach((k, v) -> cli.out().println(" " + k + ": " + v));
            return 0;
        }
        Map<String, Object> json = report.toJson();
        json.putAll(cli.engine().storeSummary());
        json.put("Proot", proot.toJson());
        Template t = new Template(format);
        cli.out().println(t.json ? Json.pretty(json, 2) : t.render(json));
        return 0;
    }
}
