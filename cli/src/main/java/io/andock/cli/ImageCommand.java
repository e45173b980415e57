package io.andock.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code andock image ls|rm|inspect|tag|pull|save|load|import|prune}: docker's management-command spellings. */
@Command(name = "image", description = "Manage images.", subcommands = PruneCommand.class)
final class ImageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Adds the top-level image commands under their {@code image} names. */
    static void register(CommandLine image) {
        image.addSubcommand("ls", new CommandLine(new ImagesCommand()), "list");
        image.addSubcommand("rm", new CommandLine(new RmiCommand()));
        image.addSubcommand("inspect", new CommandLine(new InspectCommand()));
        image.addSubcommand("tag", new CommandLine(new TagCommand()));
        image.addSubcommand("pull", new CommandLine(new PullCommand()));
        image.addSubcommand("push", new CommandLine(new PushCommand()));
        image.addSubcommand("save", new CommandLine(new SaveCommand()));
        image.addSubcommand("load", new CommandLine(new LoadCommand()));
        image.addSubcommand("import", new CommandLine(new ImportCommand()));
        image.addSubcommand("history", new CommandLine(new HistoryCommand()));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
