package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "rm", description = "Remove containers.")
final class RmCommand extends EngineCommand {
    @Option(names = {"-f", "--force"}, description = "Kill and remove a running container.")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Also remove the container's anonymous volumes.")
    boolean volumes;

    @Option(names = {"-l", "--link"}, description = "Remove the specified link (/CONTAINER/ALIAS), not a container.")
    boolean link;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    protected int call(Cli cli) {
        if (link) return cli.forEach(containers, l -> cli.engine().containers().removeLink(l));
        return cli.forEach(containers, c -> cli.engine().containers().remove(c, force, volumes));
    }
}
