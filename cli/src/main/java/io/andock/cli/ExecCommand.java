package io.andock.cli;

import io.andock.task.Attach;
import io.andock.task.ExecSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

@Command(name = "exec", description = "Run a command in a running container; exits with its exit code.")
final class ExecCommand extends EngineCommand {
    @Option(names = {"-i", "--interactive"})
    boolean interactive;
    @Option(names = {"-t", "--tty"})
    boolean tty;
    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]")
    String user;
    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR")
    String workdir;
    @Option(names = {"-e", "--env"}, paramLabel = "K=V")
    List<String> env = new ArrayList<>();
    @Option(names = "--env-file", paramLabel = "FILE")
    List<java.nio.file.Path> envFiles = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command;

    @Override
    protected int call(Cli cli) {
        List<String> envs = new ArrayList<>();
        for (var f : envFiles) envs.addAll(ContainerFlags.readEnvFile(f));
        envs.addAll(env);
        cli.out().flush();
        return cli.engine().containers().exec(container, new ExecSpec(command, envs, user, workdir, tty, interactive),
                Attach.terminal());
    }
}
