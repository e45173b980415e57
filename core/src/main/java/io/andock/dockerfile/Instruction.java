package io.andock.dockerfile;

import java.util.List;

/**
 * One Dockerfile instruction, typed but not yet substituted: strings are as written (quotes included where the
 * instruction substitutes, since substitution also removes quotes). {@link #line()} is the 1-based line where the
 * instruction starts, used in every error about it.
 */
public sealed interface Instruction {

    int line();

    /** The instruction keyword, upper case. */
    default String keyword() {
        return getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    /** A {@code key=value} pair of ENV or LABEL. */
    record KeyValue(String key, String value) {
    }

    /** One name of an ARG instruction, with its default or null for none. */
    record ArgDecl(String name, String dflt) {
    }

    /** {@code FROM [--platform=p] image [AS name]}; {@code name} is lower case or null. */
    record From(int line, String image, String name, String platform) implements Instruction {
    }

    /** RUN; {@code shellForm} means {@code command} holds one string to give to the shell. */
    record Run(int line, List<String> command, boolean shellForm) implements Instruction {
        public Run {
            command = List.copyOf(command);
        }
    }

    record Cmd(int line, List<String> command, boolean shellForm) implements Instruction {
        public Cmd {
            command = List.copyOf(command);
        }
    }

    record Entrypoint(int line, List<String> command, boolean shellForm) implements Instruction {
        public Entrypoint {
            command = List.copyOf(command);
        }
    }

    record Env(int line, List<KeyValue> pairs) implements Instruction {
        public Env {
            pairs = List.copyOf(pairs);
        }
    }

    record Label(int line, List<KeyValue> pairs) implements Instruction {
        public Label {
            pairs = List.copyOf(pairs);
        }
    }

    record Arg(int line, List<ArgDecl> args) implements Instruction {
        public Arg {
            args = List.copyOf(args);
        }
    }

    record Expose(int line, List<String> ports) implements Instruction {
        public Expose {
            ports = List.copyOf(ports);
        }
    }

    record Workdir(int line, String path) implements Instruction {
    }

    record User(int line, String user) implements Instruction {
    }

    record StopSignal(int line, String signal) implements Instruction {
        @Override
        public String keyword() {
            return "STOPSIGNAL";
        }
    }

    record Volume(int line, List<String> paths) implements Instruction {
        public Volume {
            paths = List.copyOf(paths);
        }
    }

    /** COPY or ADD ({@code add}); {@code from}, {@code chown}, {@code chmod}, {@code checksum} are null when absent. */
    record Copy(int line, boolean add, List<String> sources, String dest, String from, String chown, String chmod,
                String checksum) implements Instruction {
        public Copy {
            sources = List.copyOf(sources);
        }

        @Override
        public String keyword() {
            return add ? "ADD" : "COPY";
        }
    }

    record Shell(int line, List<String> shell) implements Instruction {
        public Shell {
            shell = List.copyOf(shell);
        }
    }

    /**
     * HEALTHCHECK. {@code test} is Docker's form: {@code ["NONE"]}, {@code ["CMD", args…]} or
     * {@code ["CMD-SHELL", command]}; durations are nanoseconds, 0 meaning "inherit the default".
     */
    record Healthcheck(int line, List<String> test, long intervalNanos, long timeoutNanos, long startPeriodNanos,
                       long startIntervalNanos, int retries) implements Instruction {
        public Healthcheck {
            test = List.copyOf(test);
        }
    }

    /** ONBUILD; {@code expression} is the trigger as written, e.g. {@code RUN make}. */
    record Onbuild(int line, String expression) implements Instruction {
    }

    record Maintainer(int line, String name) implements Instruction {
    }
}
