package io.andock.task;

import java.util.List;

/** {@code exec [-i] [-t] [-u USER] [-w DIR] [-e K=V] CONTAINER CMD...}. */
public record ExecSpec(List<String> cmd, List<String> env, String user, String workingDir, boolean tty, boolean stdin) {
    public ExecSpec {
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
    }
}
