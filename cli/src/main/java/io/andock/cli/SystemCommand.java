package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code andock system df|info}: docker's management-command spellings. */
@Command(name = "system", description = "Manage andock.", subcommands = {SystemDfCommand.class, InfoCommand.class})
final class SystemCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
