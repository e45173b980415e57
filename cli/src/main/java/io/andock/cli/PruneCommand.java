package io.andock.cli;

import io.andock.engine.PruneReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;

@Command(name = "prune", description = "Remove unused images and the content only they used.")
final class PruneCommand extends EngineCommand {
    @Option(names = {"-a", "--all"}, description = "Remove all images not used by a container, not just dangling ones.")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation.")
    boolean force;

    @Override
    protected int call(Cli cli) throws Exception {
        if (!force && System.console() != null) {
            cli.out().print("WARNING! This will remove " + (all ? "all images without at least one container associated to them"
                    : "all dangling images") + ".\nAre you sure you want to continue? [y/N] ");
            cli.out().flush();
            String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
            if (answer == null || !answer.trim().equalsIgnoreCase("y")) return 0;
        }
        PruneReport r = cli.engine().prune(all);
        if (!r.deleted().isEmpty()) {
            cli.out().println("Deleted Images:");
            r.deleted().forEach(cli.out()::println);
            cli.out().println();
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(r.reclaimedBytes()));
        return 0;
    }
}
