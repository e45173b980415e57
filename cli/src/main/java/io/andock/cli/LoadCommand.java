package io.andock.cli;

import io.andock.engine.LoadedImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

@Command(name = "load", description = "Load images from a docker-archive tar (docker save, skopeo docker-archive:) or an OCI layout.")
final class LoadCommand extends EngineCommand {
    @Option(names = {"-i", "--input"}, paramLabel = "PATH", description = "Read from this file or OCI layout directory instead of stdin.")
    Path input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output.")
    boolean quiet;

    @Override
    protected int call(Cli cli) {
        List<LoadedImage> loaded = input == null ? cli.engine().transfers().load(System.in, null) : cli.engine().transfers().load(input, null);
        if (!quiet) loaded.forEach(cli.out()::println);
        return 0;
    }
}
