package io.andock.cli;

import io.andock.image.Platform;
import io.andock.image.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pull", description = "Download an image from a registry.")
final class PullCommand extends EngineCommand {
    @Parameters(paramLabel = "NAME[:TAG|@DIGEST]")
    String image;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Platform to pull from a multi-platform image (default: this machine's).")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image reference.")
    boolean quiet;

    @Override
    protected int call(Cli cli) {
        Reference ref = Reference.parse(image);
        Platform p = platform == null ? null : Platform.parse(platform);
        if (!quiet) {
            if (!image.contains(":") && !image.contains("@")) cli.out().println("Using default tag: latest");
            cli.out().println(ref.tagOrDigest() + ": Pulling from " + (ref.domain().equals(Reference.DOCKER_HUB) ? ref.repository() : ref.familiarName()));
            cli.out().flush();
        }
        ProgressPrinter progress = new ProgressPrinter(cli.out(), Cli.stdoutIsTerminal(), quiet);
        cli.engine().images().pull(ref.toString(), p, progress);
        cli.out().println(ref);
        return 0;
    }
}
