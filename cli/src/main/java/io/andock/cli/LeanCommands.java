package io.andock.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lean parser's table: for each hot command ({@link #NAMES}), its options as picocli declares them on the command
 * class (and, for {@code run} and {@code create}, on {@link ContainerFlags}), how each sets the command object's
 * field, and how the positional arguments fill it. {@link LeanCommandLine} reads the syntax; this class knows the
 * commands.
 *
 * <p>An option is written {@code "NAME|NAME KIND"}: its names as picocli has them, then {@code 0} for a flag, {@code 1}
 * for a single value, {@code *} for a value that may be repeated. The setters are keyed by the option's last name.
 * {@code LeanCommandLineTest} holds the table to picocli's model of each command, option by option and field by field:
 * a flag added to a command class (or to ContainerFlags) and not here fails it. Until it is added here, the lean
 * parser leaves such a command line to picocli, so nothing is ever parsed wrongly, only more slowly.
 */
final class LeanCommands {
    /** The commands parsed here; any other goes to picocli. */
    static final List<String> NAMES = List.of("run", "exec", "start", "stop", "rm", "ps", "logs", "inspect", "pull", "create");

    /** The options every subcommand inherits from {@link AndockCommand} (help and version: picocli's). */
    static final String[] ROOT = {"--root 1", "--log-level 1", "--driver 1"};

    private LeanCommands() {
    }

    /** The options of {@code command}, in the form above; the inherited ones are {@link #ROOT}. */
    static String[] options(String command) {
        return switch (command) {
            case "run" -> concat(new String[]{"-d|--detach 0", "--rm 0"}, CONTAINER_FLAGS);
            case "create" -> concat(new String[]{"--rm 0"}, CONTAINER_FLAGS);
            case "exec" -> new String[]{"-i|--interactive 0", "-t|--tty 0", "-u|--user 1", "-w|--workdir 1", "-e|--env *",
                "--env-file *"};
            case "start" -> new String[]{"-a|--attach 0", "-i|--interactive 0"};
            case "stop" -> new String[]{"-t|--time|--timeout 1", "-s|--signal 1"};
            case "rm" -> new String[]{"-f|--force 0", "-v|--volumes 0", "-l|--link 0"};
            case "ps" -> new String[]{"-a|--all 0", "-q|--quiet 0", "--no-trunc 0", "-f|--filter *", "--format 1"};
            case "logs" -> new String[]{"-f|--follow 0", "-n|--tail 1", "-t|--timestamps 0", "--since 1", "--until 1"};
            case "inspect" -> new String[]{"-f|--format 1"};
            case "pull" -> new String[]{"--platform 1", "-q|--quiet 0"};
            default -> throw new IllegalArgumentException(command);
        };
    }

    /** {@link ContainerFlags}' options. */
    private static final String[] CONTAINER_FLAGS = {
        "--name 1", "-e|--env *", "--env-file *", "-w|--workdir 1", "-u|--user 1", "--entrypoint 1", "-v|--volume *",
        "--tmpfs *", "-p|--publish *", "--network|--net 1", "--hostname 1", "-l|--label *", "-t|--tty 0",
        "-i|--interactive 0", "--restart 1", "--init 0", "--stop-signal 1", "--stop-timeout 1", "-m|--memory 1",
        "--cpus 1", "--pids-limit 1", "--cap-add *", "--cap-drop *", "--privileged 0", "--security-opt *",
        "--platform 1", "--health-cmd 1", "--health-interval 1", "--health-timeout 1", "--health-start-period 1",
        "--health-start-interval 1", "--health-retries 1", "--no-healthcheck 0", "--log-driver 1", "--log-opt *",
        "--link *"};

    /** A new, unparsed command object for {@code command}, with the defaults picocli would give it. */
    static EngineCommand create(String command) {
        return switch (command) {
            case "run" -> {
                RunCommand r = new RunCommand();
                r.flags = new ContainerFlags();
                yield r;
            }
            case "create" -> {
                CreateCommand r = new CreateCommand();
                r.flags = new ContainerFlags();
                yield r;
            }
            case "exec" -> new ExecCommand();
            case "start" -> new StartCommand();
            case "stop" -> new StopCommand();
            case "rm" -> new RmCommand();
            case "ps" -> new PsCommand();
            case "logs" -> {
                LogsCommand l = new LogsCommand();
                l.tail = "all";
                yield l;
            }
            case "inspect" -> new InspectCommand();
            case "pull" -> new PullCommand();
            default -> throw new IllegalArgumentException(command);
        };
    }

    /**
     * Sets option {@code name} (its last name) of {@code c} to {@code v} (null for a flag). A name in the table without
     * a setter here declines (picocli parses the line) rather than fail; LeanCommandLineTest finds it.
     */
    static void set(EngineCommand c, String name, String v) {
        if (c instanceof RunCommand r) {
            switch (name) {
                case "--detach" -> r.detach = true;
                case "--rm" -> r.rm = true;
                default -> setContainerFlag(r.flags, name, v);
            }
        } else if (c instanceof CreateCommand r) {
            if (name.equals("--rm")) r.rm = true;
            else setContainerFlag(r.flags, name, v);
        } else if (c instanceof ExecCommand e) {
            switch (name) {
                case "--interactive" -> e.interactive = true;
                case "--tty" -> e.tty = true;
                case "--user" -> e.user = v;
                case "--workdir" -> e.workdir = v;
                case "--env" -> e.env.add(v);
                case "--env-file" -> e.envFiles.add(path(v));
                default -> throw LeanCommandLine.DECLINE;
            }
        } else if (c instanceof StartCommand s) {
            switch (name) {
                case "--attach" -> s.attach = true;
                case "--interactive" -> s.interactive = true;
                default -> throw LeanCommandLine.DECLINE;
            }
        } else if (c instanceof StopCommand s) {
            switch (name) {
                case "--timeout" -> s.timeout = integer(v);
                case "--signal" -> s.signal = v;
                default -> throw LeanCommandLine.DECLINE;
            }
        } else if (c instanceof RmCommand r) {
            switch (name) {
                case "--force" -> r.force = true;
                case "--volumes" -> r.volumes = true;
                case "--link" -> r.link = true;
                default -> throw LeanCommandLine.DECLINE;
            }
        } else if (c instanceof PsCommand p) {
            switch (name) {
                case "--all" -> p.all = true;
                case "--quiet" -> p.quiet = true;
                case "--no-trunc" -> p.noTrunc = true;
                case "--filter" -> p.filters.add(v);
                case "--format" -> p.format = v;
                default -> throw LeanCommandLine.DECLINE;
            }
        } else if (c instanceof LogsCommand l) {
            switch (name) {
                case "--follow" -> l.follow = true;
                case "--tail" -> l.tail = v;
                case "--timestamps" -> l.timestamps = true;
                case "--since" -> l.since = v;
                case "--until" -> l.until = v;
                default -> throw LeanCommandLine.DECLINE;
            }
        } else if (c instanceof InspectCommand i && name.equals("--format")) {
            i.format = v;
        } else if (c instanceof PullCommand p) {
            switch (name) {
                case "--platform" -> p.platform = v;
                case "--quiet" -> p.quiet = true;
                default -> throw LeanCommandLine.DECLINE;
            }
        } else {
            throw LeanCommandLine.DECLINE;
        }
    }

    private static void setContainerFlag(ContainerFlags f, String name, String v) {
        switch (name) {
            case "--name" -> f.name = v;
            case "--env" -> f.env.add(v);
            case "--env-file" -> f.envFiles.add(path(v));
            case "--workdir" -> f.workdir = v;
            case "--user" -> f.user = v;
            case "--entrypoint" -> f.entrypoint = v;
            case "--volume" -> f.volumes.add(v);
            case "--tmpfs" -> f.tmpfs.add(v);
            case "--publish" -> f.publish.add(v);
            case "--net" -> f.network = v;
            case "--hostname" -> f.hostname = v;
            case "--label" -> f.labels.add(v);
            case "--tty" -> f.tty = true;
            case "--interactive" -> f.interactive = true;
            case "--restart" -> f.restart = v;
            case "--init" -> f.init = true;
            case "--stop-signal" -> f.stopSignal = v;
            case "--stop-timeout" -> f.stopTimeout = integer(v);
            case "--memory" -> f.memory = v;
            case "--cpus" -> f.cpus = v;
            case "--pids-limit" -> f.pidsLimit = integer(v);
            case "--cap-add" -> f.capAdd.add(v);
            case "--cap-drop" -> f.capDrop.add(v);
            case "--privileged" -> f.privileged = true;
            case "--security-opt" -> f.securityOpts.add(v);
            case "--platform" -> f.platform = v;
            case "--health-cmd" -> f.healthCmd = v;
            case "--health-interval" -> f.healthInterval = v;
            case "--health-timeout" -> f.healthTimeout = v;
            case "--health-start-period" -> f.healthStartPeriod = v;
            case "--health-start-interval" -> f.healthStartInterval = v;
            case "--health-retries" -> f.healthRetries = integer(v);
            case "--no-healthcheck" -> f.noHealthcheck = true;
            case "--log-driver" -> f.logDriver = v;
            case "--log-opt" -> f.logOpts.add(v);
            case "--link" -> f.links.add(v);
            default -> throw LeanCommandLine.DECLINE;
        }
    }

    /**
     * Fills the positional parameters of {@code c}; false when their number is not what picocli requires (it then
     * says so in its own words).
     */
    static boolean positionals(EngineCommand c, List<String> p) {
        if (c instanceof RunCommand r) {
            if (p.isEmpty()) return false;
            r.image = p.get(0);
            if (p.size() > 1) r.command = new ArrayList<>(p.subList(1, p.size()));
        } else if (c instanceof CreateCommand r) {
            if (p.isEmpty()) return false;
            r.image = p.get(0);
            if (p.size() > 1) r.command = new ArrayList<>(p.subList(1, p.size()));
        } else if (c instanceof ExecCommand e) {
            if (p.size() < 2) return false;
            e.container = p.get(0);
            e.command = new ArrayList<>(p.subList(1, p.size()));
        } else if (c instanceof LogsCommand l) {
            if (p.size() != 1) return false;
            l.container = p.get(0);
        } else if (c instanceof PsCommand) {
            return p.isEmpty();
        } else if (c instanceof PullCommand pull) {
            if (p.size() != 1) return false;
            pull.image = p.get(0);
        } else {
            if (p.isEmpty()) return false;
            List<String> names = new ArrayList<>(p);
            if (c instanceof StartCommand s) s.containers = names;
            else if (c instanceof StopCommand s) s.containers = names;
            else if (c instanceof RmCommand r) r.containers = names;
            else if (c instanceof InspectCommand i) i.names = names;
            else return false;
        }
        return true;
    }

    /** Whether the first positional argument ends the options (the rest is the container's command line). */
    static boolean stopsAtPositional(String command) {
        return command.equals("run") || command.equals("exec") || command.equals("create");
    }

    /** A number as picocli reads one; anything but plain decimal digits is left to picocli. */
    private static int integer(String v) {
        if (v.isEmpty() || v.length() > 9 || v.length() > 1 && v.charAt(0) == '0') throw LeanCommandLine.DECLINE;
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') throw LeanCommandLine.DECLINE;
        }
        return Integer.parseInt(v);
    }

    private static Path path(String v) {
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw LeanCommandLine.DECLINE;
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
