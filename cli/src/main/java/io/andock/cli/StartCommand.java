package io.andock.cli;

import io.andock.task.Attach;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "start", description = "Start stopped containers (-a: attached, exit with its code).")
final class StartCommand extends EngineCommand {
    @Option(names = {"-a", "--attach"}, description = "Attach stdout/stderr and forward signals.")
    boolean attach;

    @Option(names = {"-i", "--interactive"}, description = "Attach stdin.")
    boolean interactive;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    protected int call(Cli cli) {
        if (attach || interactive) {
            if (containers.size() > 1) throw io.andock.AndockException.invalid("you cannot start and attach multiple containers at once");
            return cli.engine().containers().startAttached(containers.get(0), Attach.terminal());
        }
        return cli.forEach(containers, c -> cli.engine().containers().start(c));
    }
}
