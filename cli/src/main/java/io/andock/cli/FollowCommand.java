package io.andock.cli;

import io.andock.follow.FollowAgent;
import io.andock.follow.FollowMode;
import io.andock.follow.Follows;
import io.andock.follow.Subscription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code andock follow REF [--update none|stage|restart]}, {@code follow ls}, {@code follow rm REF} and
 * {@code follow --agent}: subscriptions to tags on a hub, acted on by the root's one agent (inside
 * {@code andock daemon}, or this command's {@code --agent} when no daemon runs).
 */
@Command(name = "follow", description = {
        "Follow a tag on an andock hub: when it moves, stage the new image (pull) or also recreate its containers.",
        "The agent inside 'andock daemon' acts on it; without a daemon run 'andock follow --agent'.",
        "  andock follow hub.lan:5000/team/app:stable --update restart ; andock follow ls ; andock follow rm REF"},
        subcommands = {FollowCommand.Ls.class, FollowCommand.Rm.class})
final class FollowCommand extends EngineCommand {
    @Parameters(arity = "0..1", paramLabel = "REF", description = "The tag to follow (on a hub: HOST:PORT/REPO:TAG).")
    String ref;

    @Option(names = "--update", paramLabel = "MODE", description = "none (report only), stage (pull; the default) or restart (pull and recreate its containers, rolling back on failure).")
    String update = "stage";

    @Option(names = "--grace", paramLabel = "SECONDS", description = "With restart: how long a new container must run without exiting non-zero or turning unhealthy (default 10).")
    int grace = Subscription.DEFAULT_GRACE_SECONDS;

    @Option(names = "--agent", description = "Run this root's agent in the foreground (when no daemon runs) until stopped.")
    boolean agent;

    @Override
    protected int call(Cli cli) throws Exception {
        Follows follows = new Follows(cli.engine());
        if (ref != null) {
            Subscription s = follows.follow(ref, FollowMode.parse(update), grace);
            cli.out().println("following " + s.ref() + " (update: " + s.mode().word() + ")");
            cli.out().flush();
        }
        if (!agent) {
            if (ref == null) spec.commandLine().usage(cli.out());
            return 0;
        }
        FollowAgent a = follows.startAgent(VersionProvider.version());
        Runtime.getRuntime().addShutdownHook(new Thread(a::close, "andock-follow-stop"));
        cli.err().println("andock follow agent: device " + follows.deviceId() + ", following " + follows.list().size() + " tag(s)");
        cli.err().flush();
        a.join();
        return 0;
    }

    @Command(name = "ls", aliases = "list", description = "List the followed tags: update mode, the digest held, the last outcome.")
    static final class Ls extends EngineCommand {
        @Override
        protected int call(Cli cli) {
            Table t = new Table("TAG", "UPDATE", "DIGEST", "STATE", "SINCE");
            for (Subscription s : new Follows(cli.engine()).list()) {
                t.row(s.ref(), s.mode().word(), s.digest() == null ? "-" : s.digest().toString(), ErrorLine.of(s.state()), s.at() == null ? "-" : s.at());
            }
            t.print(cli.out());
            return 0;
        }
    }

    @Command(name = "rm", aliases = "remove", description = "Stop following a tag (the image and containers stay).")
    static final class Rm extends EngineCommand {
        @Parameters(arity = "1..*", paramLabel = "REF")
        java.util.List<String> refs;

        @Override
        protected int call(Cli cli) {
            Follows f = new Follows(cli.engine());
            for (String r : refs) {
                f.remove(r);
                cli.out().println(r);
            }
            return 0;
        }
    }
}
