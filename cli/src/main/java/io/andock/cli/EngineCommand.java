package io.andock.cli;

import io.andock.engine.Engine;
import io.andock.engine.EngineConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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
        Engine engine = needsEngine() ? Engine.open(EngineConfig.load(root.root).withDriver(root.driver)) : null;
        try {
            return call(new Cli(spec.commandLine().getOut(), spec.commandLine().getErr(), engine, root.driver));
        } finally {
            if (engine != null) engine.close();
        }
    }
}
