package io.andock.cli;

import io.andock.image.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "push", description = "Upload an image to its registry.")
final class PushCommand extends EngineCommand {
    @Parameters(paramLabel = "NAME[:TAG]")
    String image;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image reference.")
    boolean quiet;

    @Override
    protected int call(Cli cli) {
        Reference ref = Reference.parse(image);
        if (!quiet) {
            if (!image.contains(":") || image.lastIndexOf(':') < image.lastIndexOf('/')) cli.out().println("Using default tag: latest");
            cli.out().println("The push refers to repository [" + ref.name() + "]");
            cli.out().flush();
        }
        cli.engine().transfers().push(image, new ProgressPrinter(cli.out(), Cli.stdoutIsTerminal(), quiet));
        if (quiet) cli.out().println(ref.familiar());
        return 0;
    }
}
