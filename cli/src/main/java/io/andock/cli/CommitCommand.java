package io.andock.cli;

import io.andock.engine.ContainerSnapshots;
import io.andock.image.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

@Command(name = "commit", description = "Create a new image from a container's changes.")
final class CommitCommand extends EngineCommand {
    @Option(names = {"-a", "--author"}, paramLabel = "STRING", description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\").")
    String author;

    @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION", description = "Apply a Dockerfile instruction (CMD, ENV, LABEL, ...) to the image.")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "STRING", description = "Commit message.")
    String message;

    @Option(names = {"-p", "--pause"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Pause the container during commit (default true).")
    boolean pause;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String target;

    @Override
    protected int call(Cli cli) {
        String repo = null, tag = null;
        if (target != null && !target.isEmpty()) {
            Reference r = Reference.parse(target);
            if (r.digest() != null) throw io.andock.AndockException.invalid("invalid reference format: a commit cannot name a digest");
            repo = r.name();
            tag = r.tag();
        }
        var id = cli.engine().containerSnapshots().commit(container,
                new ContainerSnapshots.CommitRequest(repo, tag, author, message, null, changes, pause));
        cli.out().println(id);
        return 0;
    }
}
