package io.andock.runtime;

import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pseudo-terminal for a container whose stdio are not a terminal (the API daemon's {@code -t}). Java cannot
 * open a pty, so util-linux's {@code script} makes one: its child (and so the container) gets the pty's slave as
 * stdio, while script copies the master to and from its own pipes. The child first records the slave's name in a
 * file, so the size can be set from outside ({@code stty -F}; the kernel then sends SIGWINCH), and optionally
 * its pid (the monitor's {@code pid} file). runc and crun see a terminal on stdin and make their own pty inside
 * the container, following the outer one's size.
 */
public final class Pty {
    /** {@code tty >FILE}, the initial size, the pid file, then the command: run by sh inside script's pty. */
    private static final String CHILD = "t=$1 r=$2 c=$3 p=$4 raw=$5; shift 5; tty >\"$t\" 2>/dev/null;"
            + " [ \"$r\" -gt 0 ] 2>/dev/null && stty rows \"$r\" cols \"$c\" 2>/dev/null;"
            + " [ \"$raw\" = 1 ] && stty raw -echo 2>/dev/null;"
            + " [ -n \"$p\" ] && echo $$ >\"$p.tmp\" && mv -f \"$p.tmp\" \"$p\"; exec \"$@\"";

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
        if (script == null || HostTools.find("stty") == null) return false;
        try {
            Process p = new ProcessBuilder(script, "-qefc", "true", "/dev/null")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The argv running {@code argv} on a new pty: its slave's name goes to {@code ttyFile}, {@code pidFile} (or
     * null) gets the pid that becomes {@code argv}; {@code rows}/{@code cols} &gt; 0 set the first size. {@code raw}:
     * the driver makes a terminal of its own inside (runc), so this one must not echo or translate a second time.
     */
    static List<String> wrap(List<String> argv, Path ttyFile, Path pidFile, int rows, int cols, boolean raw) {
        List<String> inner = new ArrayList<>(List.of(HostTools.sh(), "-c", CHILD, "andock-pty", ttyFile.toString(),
                Integer.toString(rows), Integer.toString(cols), pidFile == null ? "" : pidFile.toString(), raw ? "1" : "0"));
        inner.addAll(argv);
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
            if (tty == null) ContainerService.sleep(10);
        }
        if (tty == null || !Files.exists(Path.of(tty))) return;
        try {
            Process p = new ProcessBuilder(HostTools.require("stty", "resize a terminal"), "-F", tty,
                    "rows", Integer.toString(rows), "cols", Integer.toString(cols))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        } catch (IOException e) {
            throw AndockException.wrap("resize " + tty, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
