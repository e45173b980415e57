package io.andock.cli;

import io.andock.AndockException;
import io.andock.container.RestartPolicy;
import io.andock.task.ContainerEditor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "update", description = "Update the restart policy and resource limits of containers (live with the oci driver).")
final class UpdateCommand extends EngineCommand {
    @Option(names = "--restart", paramLabel = "POLICY", description = "no, always, unless-stopped or on-failure[:N].")
    String restart;

    @Option(names = {"-m", "--memory"}, paramLabel = "BYTES", description = "Memory limit (e.g. 256m).")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "Number of CPUs (e.g. 1.5).")
    String cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Tune container pids limit (-1 for unlimited).")
    Long pidsLimit;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    @Override
    protected int call(Cli cli) {
        if (restart == null && memory == null && cpus == null && pidsLimit == null) {
            throw AndockException.invalid("you must provide one or more flags when using this command");
        }
        ContainerEditor.Update u = new ContainerEditor.Update(restart == null ? null : RestartPolicy.parse(restart),
                memory == null ? null : ContainerFlags.bytes(memory), cpus == null ? null : ContainerFlags.nanoCpus(cpus),
                pidsLimit == null ? null : Math.max(0, pidsLimit));
        return cli.forEach(containers, c -> cli.engine().containers().update(c, u)
                .forEach(w -> cli.err().println("WARNING: " + w)));
    }
}
