package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "restart", description = "Restart containers.")
final class RestartCommand extends EngineCommand {
    @Option(names = {"-t", "--time", "--timeout"}, paramLabel = "SECONDS")
    Integer timeout;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    protected int call(Cli cli) {
        return cli.forEach(containers, c -> cli.engine().containers().restart(c, timeout));
    }
}
