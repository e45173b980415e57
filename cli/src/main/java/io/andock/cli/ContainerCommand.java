package io.andock.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code andock container ls|run|create|start|stop|...}: docker's management-command spellings. */
@Command(name = "container", description = "Manage containers.", subcommands = ContainerPruneCommand.class)
final class ContainerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    static void register(CommandLine container) {
        container.addSubcommand("ls", new CommandLine(new PsCommand()), "list", "ps");
        container.addSubcommand("run", new CommandLine(new RunCommand()));
        container.addSubcommand("create", new CommandLine(new CreateCommand()));
        container.addSubcommand("start", new CommandLine(new StartCommand()));
        container.addSubcommand("stop", new CommandLine(new StopCommand()));
        container.addSubcommand("restart", new CommandLine(new RestartCommand()));
        container.addSubcommand("kill", new CommandLine(new KillCommand()));
        container.addSubcommand("pause", new CommandLine(new PauseCommand()));
        container.addSubcommand("unpause", new CommandLine(new UnpauseCommand()));
        container.addSubcommand("rm", new CommandLine(new RmCommand()));
        container.addSubcommand("wait", new CommandLine(new WaitCommand()));
        container.addSubcommand("logs", new CommandLine(new LogsCommand()));
        container.addSubcommand("exec", new CommandLine(new ExecCommand()));
        container.addSubcommand("inspect", new CommandLine(new InspectCommand()));
        container.addSubcommand("cp", new CommandLine(new CpCommand()));
        container.addSubcommand("top", new CommandLine(new TopCommand()));
        container.addSubcommand("diff", new CommandLine(new DiffCommand()));
        container.addSubcommand("export", new CommandLine(new ExportCommand()));
        container.addSubcommand("rename", new CommandLine(new RenameCommand()));
        container.addSubcommand("update", new CommandLine(new UpdateCommand()));
        container.addSubcommand("commit", new CommandLine(new CommitCommand()));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
