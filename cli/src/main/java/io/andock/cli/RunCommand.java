package io.andock.cli;

import io.andock.task.Attach;
import io.andock.container.ContainerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "run", description = "Create and start a container; exits with the container's exit code.")
final class RunCommand extends EngineCommand {
    @Mixin
    ContainerFlags flags;

    @Option(names = {"-d", "--detach"}, description = "Run in the background and print the container ID.")
    boolean detach;

    @Option(names = "--rm", description = "Remove the container when it exits.")
    boolean rm;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (override the image's Cmd).")
    List<String> command;

    @Override
    protected int call(Cli cli) {
        ContainerSpec spec = flags.toSpec(image, command, rm, cli.driver());
        cli.ensureImage(image, flags.platform);
        io.andock.Trace.phase("image found");
        if (detach) {
            cli.out().println(cli.engine().containers().runDetached(spec));
            return 0;
        }
        cli.out().flush();
        return cli.engine().containers().run(spec, Attach.terminal());
    }
}
