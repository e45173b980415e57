package io.andock.cli;

import io.andock.task.LogOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;

@Command(name = "logs", description = "Print a container's output: its stdout to stdout, its stderr to stderr.")
final class LogsCommand extends EngineCommand {
    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the container stops.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", defaultValue = "all", description = "Lines from the end to show (default all).")
    String tail;

    @Option(names = {"-t", "--timestamps"}, description = "Prefix each line with its time (RFC 3339, UTC, as docker).")
    boolean timestamps;

    @Option(names = "--since", paramLabel = "T", description = "Only lines from T on: 2026-11-28T13:01:02Z, unix seconds, or 10m (before now).")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Only lines up to T (same forms as --since).")
    String until;

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
        Instant now = Instant.now();
        LogOptions o = new LogOptions(follow, n, timestamps, LogOptions.parseTime(since, now), LogOptions.parseTime(until, now),
                true, true);
        cli.out().flush();
        cli.engine().containers().logs(container, o, System.out, System.err);
        System.out.flush();
        System.err.flush();
        return 0;
    }
}
