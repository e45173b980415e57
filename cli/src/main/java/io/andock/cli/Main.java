package io.andock.cli;

import io.andock.AndockException;
import io.andock.runtime.ExecFailure;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The andock command line. Errors leave as one line on stderr and Docker's exit codes: 125 when andock itself
 * failed (bad flags, no such image, registry down), the container's own code otherwise (later issues).
 */
public final class Main {
    static final int ENGINE_ERROR = 125;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; the entry point tests call in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        AndockCommand root = new AndockCommand();
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        ImageCommand.register(cl.getSubcommands().get("image"));
        ContainerCommand.register(cl.getSubcommands().get("container"));
        // Everything after the image (or container) is the container's command line, flags included.
        for (String name : new String[]{"run", "create", "exec"}) {
            cl.getSubcommands().get(name).setStopAtPositional(true);
            cl.getSubcommands().get("container").getSubcommands().get(name).setStopAtPositional(true);
        }
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("andock: " + ex.getMessage());
            CommandLine c = ex.getCommandLine();
            err.println("See '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return ENGINE_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean debug = root.debug();
            if (ex instanceof AndockException a) {
                err.println("Error: " + a.getMessage());
            } else {
                err.println("Error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            }
            if (debug) ex.printStackTrace(err);
            err.flush();
            // 126/127 when a container's command could not be run, as docker run exits.
            return ExecFailure.exitCode(ex);
        });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
