package io.andock.task;


import io.andock.os.Interruptible;
import io.andock.os.CommandRunner;
import io.andock.os.HostTools;
import io.andock.os.ShellScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pseudo-terminal for a container whose stdio are not a terminal (the API daemon's {@code -t}). Java cannot
 * open a pty, so util-linux's {@code script} makes one: its child (and so the container) gets the pty's slave as
 * stdio, while script copies the master to and from its own pipes. The child first records the slave's name in a
 * file, so the size can be set from outside ({@code stty -F}; the kernel then sends SIGWINCH). runc and crun see a
 * terminal on stdin and make their own pty inside the container, following the outer one's size.
 */
public final class Pty {
    /** {@code tty >FILE}, the initial size, raw mode if asked, then the command: run by sh inside script's pty. */
    private static final ShellScript CHILD = ShellScript.load(Pty.class, "pty-child.sh");

    /** stty and the trial pty: instant, unless the host is in trouble. */
    private static final java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(10);

    private Pty() {}

    private static volatile Boolean available;

    /**
     * Whether this host can make one: util-linux {@code script} and {@code stty} (Termux: {@code pkg install
     * util-linux}), and a trial pty that opens (a sandbox may refuse /dev/ptmx). Tried once per process.
     */
    public static boolean available() {
        Boolean a = available;
        if (a == null) available = a = probe();
        return a;
    }

    private static boolean probe() {
        String script = HostTools.find("script");
        return script != null && HostTools.find("stty") != null
                && CommandRunner.failure(List.of(script, "-qefc", "true", "/dev/null"), PROBE_TIMEOUT) == null;
    }

    /**
     * The argv running {@code argv} on a new pty: its slave's name goes to {@code ttyFile}; {@code rows}/{@code cols}
     * &gt; 0 set the first size. {@code raw}:
     * the driver makes a terminal of its own inside (runc), so this one must not echo or translate a second time.
     */
    static List<String> wrap(List<String> argv, Path ttyFile, int rows, int cols, boolean raw) {
        List<String> args = new ArrayList<>(List.of(ttyFile.toString(), Integer.toString(rows), Integer.toString(cols), raw ? "1" : "0"));
        args.addAll(argv);
        List<String> inner = CHILD.argv("andock-pty", args);
        // -e: script exits with the child's status; -f: flush every write; -q: no banner; /dev/null: no typescript
        return List.of(HostTools.require("script", "a terminal for -t"), "-qefc", quote(inner), "/dev/null");
    }

    /** Single-quoted words for sh. */
    static String quote(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() > 0) b.append(' ');
            b.append('\'').append(w.replace("'", "'\\''")).append('\'');
        }
        return b.toString();
    }

    /**
     * Sets the size of the pty whose name the child wrote to {@code ttyFile}, waiting up to a second for it (a
     * resize can come right after start). A pty that is gone is not an error: the container has just exited.
     */
    public static void resize(Path ttyFile, int rows, int cols) {
        if (rows <= 0 || cols <= 0) return;
        String tty = null;
        for (int i = 0; i < 100 && tty == null; i++) {
            try {
                String s = Files.readString(ttyFile).trim();
                if (s.startsWith("/dev/")) tty = s;
            } catch (IOException e) {
                // not yet written
            }
            if (tty == null) Interruptible.sleep(10);
        }
        if (tty == null || !Files.exists(Path.of(tty))) return;
        // a failure is the pty closing under us (the container exiting): nothing to report
        CommandRunner.failure(List.of(HostTools.require("stty", "resize a terminal"), "-F", tty,
                "rows", Integer.toString(rows), "cols", Integer.toString(cols)), PROBE_TIMEOUT);
    }

    /**
     * The caller's handle on a pty core makes for an attached process (an exec): the size it should start with,
     * and {@link #resize} while it runs. Sizes set before the pty exists are applied when it starts.
     */
    public static final class Session {
        private volatile Path ttyFile;
        private volatile int rows, cols;

        public Session(int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
        }

        public void resize(int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
            Path f = ttyFile;
            if (f != null) Pty.resize(f, rows, cols);
        }

        int rows() {
            return rows;
        }

        int cols() {
            return cols;
        }

        void bind(Path ttyFile) {
            this.ttyFile = ttyFile;
        }
    }
}
