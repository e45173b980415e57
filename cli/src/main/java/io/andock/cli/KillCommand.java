package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "kill", description = "Send a signal (default SIGKILL) to running containers.")
final class KillCommand extends EngineCommand {
    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", defaultValue = "KILL")
    String signal;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    protected int call(Cli cli) {
        return cli.forEach(containers, c -> cli.engine().containers().kill(c, signal));
    }
}
