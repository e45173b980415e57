package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "unpause", description = "Thaw paused containers.")
final class UnpauseCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    protected int call(Cli cli) {
        return cli.forEach(containers, c -> cli.engine().containers().unpause(c));
    }
}
