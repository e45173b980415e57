package io.andock.cli;

import io.andock.AndockException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "rmi", description = "Remove one or more images.")
final class RmiCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Option(names = {"-f", "--force"}, description = "Remove the image even when several tags refer to it.")
    boolean force;

    @Override
    protected int call(Cli cli) {
        int status = 0;
        for (String image : images) {
            try {
                cli.engine().images().remove(image, force).forEach(cli.out()::println);
            } catch (AndockException e) {
                cli.err().println("Error: " + ErrorLine.of(e.getMessage()));
                status = 1;
            }
        }
        return status;
    }
}
