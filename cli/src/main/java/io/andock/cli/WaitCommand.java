package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "wait", description = "Block until containers stop, then print their exit codes.")
final class WaitCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    protected int call(Cli cli) {
        int status = 0;
        for (String c : containers) {
            try {
                cli.out().println(cli.engine().containers().waitFor(c));
                cli.out().flush();
            } catch (io.andock.AndockException e) {
                cli.err().println("Error: " + ErrorLine.of(e.getMessage()));
                status = 1;
            }
        }
        return status;
    }
}
