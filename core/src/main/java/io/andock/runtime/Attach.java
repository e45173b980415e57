package io.andock.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where an attached container's (or exec's) stdio goes. {@link #terminal()}: this process's own stdin/stdout/stderr
 * (the CLI); with a TTY the container then shares the user's terminal directly. {@link #streams}: Java streams (the
 * API daemon, tests); {@code stdin} null means none.
 */
public record Attach(boolean inheritStdio, InputStream stdin, OutputStream stdout, OutputStream stderr) {

    public static Attach terminal() {
        return new Attach(true, null, null, null);
    }

    public static Attach streams(InputStream stdin, OutputStream stdout, OutputStream stderr) {
        return new Attach(false, stdin, stdout, stderr);
    }
}
