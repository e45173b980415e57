package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rename", description = "Rename a container.")
final class RenameCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "NEW_NAME")
    String newName;

    @Override
    protected int call(Cli cli) {
        cli.engine().containers().rename(container, newName);
        return 0;
    }
}
