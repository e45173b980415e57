package io.andock.task;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where an attached container's (or exec's) stdio goes. {@link #terminal()}: this process's own stdin/stdout/stderr
 * (the CLI); with a TTY the container then shares the user's terminal directly. {@link #streams}: Java streams (the
 * API daemon, tests); {@code stdin} null means none. {@code pty}: with a TTY over streams, the process gets a
 * pseudo-terminal of its own ({@link Pty}) which this handle resizes; null: pipes.
 */
public record Attach(boolean inheritStdio, InputStream stdin, OutputStream stdout, OutputStream stderr, Pty.Session pty) {

    public static Attach terminal() {
        return new Attach(true, null, null, null, null);
    }

    public static Attach streams(InputStream stdin, OutputStream stdout, OutputStream stderr) {
        return new Attach(false, stdin, stdout, stderr, null);
    }

    /** Streams, and with a TTY a pty of the given first size ({@code rows}/{@code cols} 0: the default). */
    public static Attach withPty(InputStream stdin, OutputStream stdout, OutputStream stderr, Pty.Session pty) {
        return new Attach(false, stdin, stdout, stderr, pty);
    }
}
