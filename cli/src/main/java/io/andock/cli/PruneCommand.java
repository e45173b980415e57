package io.andock.cli;

import io.andock.engine.PruneReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;


@Command(name = "prune", description = "Remove unused images and the content only they used.")
final class PruneCommand extends EngineCommand {
    @Option(names = {"-a", "--all"}, description = "Remove all images not used by a container, not just dangling ones.")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.")
    boolean force;

    @Override
    protected int call(Cli cli) throws Exception {
        String what = all ? "all images without at least one container associated to them" : "all dangling images";
        if (!force && !Prompt.confirm(cli, "WARNING! This will remove " + what + ".")) return 0;
        PruneReport r = cli.engine().images().prune(all);
        if (!r.deleted().isEmpty()) {
            cli.out().println("Deleted Images:");
            r.deleted().forEach(cli.out()::println);
            cli.out().println();
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(r.reclaimedBytes()));
        return 0;
    }
}
