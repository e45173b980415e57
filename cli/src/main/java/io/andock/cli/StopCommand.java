package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "stop", description = "Stop containers: the stop signal, then SIGKILL after the timeout.")
final class StopCommand extends EngineCommand {
    @Option(names = {"-t", "--time", "--timeout"}, paramLabel = "SECONDS", description = "Seconds to wait before killing (default 10).")
    Integer timeout;

    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", description = "Signal to send first (default: the image's StopSignal or SIGTERM).")
    String signal;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    protected int call(Cli cli) {
        return cli.forEach(containers, c -> cli.engine().containers().stop(c, timeout));
    }
}
