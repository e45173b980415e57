package io.andock.cli;

import io.andock.engine.Engine;
import io.andock.engine.EngineConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** A subcommand that works on the engine; opens it lazily and closes it after the command. */
abstract class EngineCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    protected abstract int call(Cli cli) throws Exception;

    protected boolean needsEngine() {
        return true;
    }

    @Override
    public final Integer call() throws Exception {
        AndockCommand root = (AndockCommand) spec.root().userObject();
        return call(root.root, root.driver, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs the parsed command on the root {@code root} (null: the default) with the global {@code --driver}. */
    final int call(Path root, String driver, PrintWriter out, PrintWriter err) throws Exception {
        Engine engine = needsEngine() ? Engine.open(EngineConfig.load(root).withDriver(driver)) : null;
        try {
            return call(new Cli(out, err, engine, driver));
        } finally {
            if (engine != null) engine.close();
        }
    }
}
