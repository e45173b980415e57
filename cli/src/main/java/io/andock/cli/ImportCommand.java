package io.andock.cli;

import io.andock.engine.ImageSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "import", description = "Create an image from a rootfs tarball (plain, gzip or zstd); '-' reads stdin.")
final class ImportCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "FILE|-")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String ref;

    @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION", description = "Apply a Dockerfile instruction (CMD, ENV, …) to the image.")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "Set the history's comment.")
    String message = "";

    @Override
    protected int call(Cli cli) {
        ImageSummary image = file.equals("-") ? cli.engine().transfers().importRootfs(System.in, ref, changes, message)
                : cli.engine().transfers().importRootfs(Path.of(file), ref, changes, message);
        cli.out().println(image.id());
        return 0;
    }
}
