package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "prune", description = "Remove all stopped containers.")
final class ContainerPruneCommand extends EngineCommand {
    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.")
    boolean force;

    @Override
    protected int call(Cli cli) throws Exception {
        if (!force && !Prompt.confirm(cli, "WARNING! This will remove all stopped containers.")) return 0;
        List<String> removed = cli.engine().containers().prune();
        if (!removed.isEmpty()) {
            cli.out().println("Deleted Containers:");
            removed.forEach(cli.out()::println);
            cli.out().println();
        }
        cli.out().println("Total reclaimed space: 0B");
        return 0;
    }
}
