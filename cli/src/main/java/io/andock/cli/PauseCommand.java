package io.andock.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "pause", description = "Freeze all processes of running containers (oci: the cgroup freezer; chroot: SIGSTOP; not proot).")
final class PauseCommand extends EngineCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    protected int call(Cli cli) {
        return cli.forEach(containers, c -> cli.engine().containers().pause(c));
    }
}
