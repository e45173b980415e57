package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "Inspect changes to files or directories on a container's filesystem (A added, C changed, D deleted).")
final class DiffCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    protected int call(Cli cli) {
        cli.engine().containerSnapshots().diff(container)
                .forEach((path, kind) -> cli.out().println("CAD".charAt(kind.ordinal()) + " " + path));
        return 0;
    }
}
