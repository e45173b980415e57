package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "create", description = "Create a container without starting it; prints its ID.")
final class CreateCommand extends EngineCommand {
    @Mixin
    ContainerFlags flags;

    @Option(names = "--rm", description = "Remove the container when it exits.")
    boolean rm;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command;

    @Override
    protected int call(Cli cli) {
        var spec = flags.toSpec(image, command, rm, cli.driver());
        cli.ensureImage(image, flags.platform);
        cli.out().println(cli.engine().containers().create(spec));
        return 0;
    }
}
