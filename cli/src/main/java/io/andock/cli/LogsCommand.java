package io.andock.cli;

import io.andock.runtime.LogOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Print a container's output (stdout and stderr, in one stream).")
final class LogsCommand extends EngineCommand {
    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the container stops.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", defaultValue = "all", description = "Lines from the end to show (default all).")
    String tail;

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps (not available: the log has no per-line times).")
    boolean timestamps;

    @Parameters(paramLabel = "CONTAINER")
    String container;

    @Override
    protected int call(Cli cli) {
        int n;
        try {
            n = tail.equals("all") ? -1 : Integer.parseInt(tail);
        } catch (NumberFormatException e) {
            throw io.andock.AndockException.invalid("invalid value for --tail: " + tail);
        }
        cli.out().flush();
        cli.engine().containers().logs(container, new LogOptions(follow, n, timestamps), System.out, System.err);
        System.out.flush();
        return 0;
    }
}
