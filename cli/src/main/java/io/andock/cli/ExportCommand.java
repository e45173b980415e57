package io.andock.cli;

import io.andock.AndockException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

@Command(name = "export", description = "Export a container's filesystem as a tar archive.")
final class ExportCommand extends EngineCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to a file, instead of STDOUT.")
    Path output;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Override
    protected int call(Cli cli) throws IOException {
        if (output == null) {
            if (Cli.stdoutIsTerminal()) {
                throw AndockException.invalid("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            }
            OutputStream out = new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 16);
            cli.engine().containerSnapshots().export(container, out);
            out.flush();
            return 0;
        }
        // written beside the target and renamed: a failed export leaves no half tar under the name asked for
        Path abs = output.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                cli.engine().containerSnapshots().export(container, out);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return 0;
    }
}
