package io.andock.cli;

import io.andock.engine.ImageSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

@Command(name = "import", description = "Create an image from a rootfs tarball (plain, gzip or zstd); '-' reads stdin.")
final class ImportCommand extends EngineCommand {
    @Parameters(index = "0", paramLabel = "FILE|-")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String ref;

    @Override
    protected int call(Cli cli) {
        ImageSummary image = file.equals("-") ? cli.engine().transfers().importRootfs(System.in, ref)
                : cli.engine().transfers().importRootfs(Path.of(file), ref);
        cli.out().println(image.id());
        return 0;
    }
}
