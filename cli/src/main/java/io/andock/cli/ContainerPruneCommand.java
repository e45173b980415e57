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
        // what the stopped containers wrote, measured before they go (docker's "reclaimed space")
        java.util.Map<String, Long> sizes = new java.util.HashMap<>();
        for (var v : cli.engine().containers().list(io.andock.container.ListOptions.ALL)) {
            if (v.state().running()) continue;
            try {
                sizes.put(v.id(), cli.engine().containerSnapshots().sizeRw(v.id()));
            } catch (io.andock.AndockException e) {
                // removed meanwhile
            }
        }
        List<String> removed = cli.engine().containers().prune();
        long reclaimed = removed.stream().mapToLong(id -> sizes.getOrDefault(id, 0L)).sum();
        if (!removed.isEmpty()) {
            cli.out().println("Deleted Containers:");
            removed.forEach(cli.out()::println);
            cli.out().println();
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(reclaimed));
        return 0;
    }
}
