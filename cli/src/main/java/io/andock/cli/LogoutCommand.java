package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "logout", description = "Remove saved credentials for a registry (default docker.io).")
final class LogoutCommand extends EngineCommand {
    @Parameters(arity = "0..1", paramLabel = "SERVER")
    String server;

    @Override
    protected int call(Cli cli) {
        String host = server == null ? "docker.io" : server;
        cli.engine().transfers().logout(host);
        cli.out().println("Removing login credentials for " + host);
        return 0;
    }
}
