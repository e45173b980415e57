package io.andock.cli;

import io.andock.AndockException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

@Command(name = "save", description = "Save images to a docker-archive tar (as docker save) or an OCI layout directory.")
final class SaveCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Write to this file (or directory for oci-dir) instead of stdout.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "docker-archive",
            description = "docker-archive (default; readable by docker load) or oci-dir (OCI image layout).")
    String format;

    @Override
    protected int call(Cli cli) throws Exception {
        if (!format.equals("docker-archive") && !format.equals("oci-dir")) {
            throw AndockException.invalid("unknown format " + format + ": use docker-archive or oci-dir");
        }
        if (output == null) {
            if (format.equals("oci-dir")) throw AndockException.invalid("--format oci-dir needs -o DIR");
            if (System.console() != null) {
                throw AndockException.invalid("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            }
            cli.engine().transfers().save(images, System.out);
            System.out.flush();
        } else {
            cli.engine().transfers().save(images, output, format);
        }
        return 0;
    }
}
