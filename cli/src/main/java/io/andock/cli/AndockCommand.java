package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code andock}: the global options every subcommand inherits. */
@Command(name = "andock", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "A lightweight, Docker-compatible container engine for Android phones and any Linux.")
public final class AndockCommand implements Runnable {
    /**
     * The subcommands, in help order. Not in {@code @Command(subcommands)}: picocli would build every one's model
     * at start-up (~100 ms); {@link Main} adds only the one being run (all of them for help and unknown names).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            PullCommand.class, PushCommand.class, ImagesCommand.class, InspectCommand.class, TagCommand.class, RmiCommand.class,
            SaveCommand.class, LoadCommand.class, ImportCommand.class, LoginCommand.class, LogoutCommand.class,
            ImageCommand.class, VersionCommand.class,
            RunCommand.class, CreateCommand.class, StartCommand.class, StopCommand.class, RestartCommand.class,
            KillCommand.class, PauseCommand.class, CpCommand.class, UnpauseCommand.class, RmCommand.class, WaitCommand.class, PsCommand.class, LogsCommand.class,
            ExecCommand.class, TopCommand.class, DiffCommand.class, ExportCommand.class, RenameCommand.class,
            UpdateCommand.class, CommitCommand.class, HistoryCommand.class,
            ContainerCommand.class, VolumeCommand.class, NetworkCommand.class, InfoCommand.class, SystemCommand.class, DaemonCommand.class, HubCommand.class, BuildCommand.class,
            DeviceCommand.class, FollowCommand.class);

    /** The root options that take a value as the next argument ({@link Main} skips them to find the subcommand). */
    static final Set<String> VALUE_OPTIONS = Set.of("--root", "--log-level", "--driver");

    @Option(names = "--root", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where images and containers live (env ANDOCK_ROOT; default ~/.local/share/andock).")
    Path root;

    @Option(names = "--log-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
            description = "debug, info (default), warn or error (debug also prints stack traces).")
    String logLevel;

    @Option(names = "--driver", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Execution driver: oci (runc/crun), chroot or proot (default: the best this host allows; see 'andock info').")
    String driver;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    boolean debug() {
        return "debug".equalsIgnoreCase(logLevel);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
