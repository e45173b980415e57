package io.andock.cli;

import picocli.CommandLine.Command;

@Command(name = "version", description = "Show the andock version.")
final class VersionCommand extends EngineCommand {
    @Override
    protected int call(Cli cli) {
        for (String line : new VersionProvider().getVersion()) cli.out().println(line);
        return 0;
    }

    @Override
    protected boolean needsEngine() {
        return false;
    }
}
