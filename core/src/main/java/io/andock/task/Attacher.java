package io.andock.task;

import io.andock.os.HostTools;
import io.andock.os.Signals;
import io.andock.AndockException;
import io.andock.container.LogConfig;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Runs a command attached to an {@link Attach}: with a TTY and {@link Attach#terminal()} the command shares this
 * process's terminal (proot/chroot/runc handle it directly); otherwise stdout and stderr come through pipes and
 * are copied to the caller and, when {@code log} is given, appended to the container log (Docker logs foreground
 * output too). While it runs, SIGTERM/SIGHUP/SIGUSR1/SIGUSR2 (and SIGINT/SIGQUIT without a TTY, which the
 * terminal delivers itself otherwise) received by this JVM are passed to {@code forward}.
 */
final class Attacher {
    private static final List<String> FORWARDED = List.of("TERM", "HUP", "USR1", "USR2", "INT", "QUIT");

    private Attacher() {}

    interface Started {
        void started(Process p) throws IOException;
    }

    /**
     * @param ttyFile with a TTY over streams and {@link Attach#pty()}, the command runs on a new {@link Pty} whose
     *                name goes to this file; null: pipes
     * @param rawPty  that pty passes bytes through untouched (the driver makes its own terminal inside)
     */
    static int run(List<String> argv, Attach attach, boolean tty, boolean stdin, Path log, LogConfig logConfig, boolean newSession,
                   IntConsumer forward, Started onStart, Path ttyFile, boolean rawPty) {
        boolean onPty = !attach.inheritStdio() && tty && attach.pty() != null && ttyFile != null && Pty.available();
        if (onPty) {
            argv = Pty.wrap(argv, ttyFile, attach.pty().rows(), attach.pty().cols(), rawPty);
            attach.pty().bind(ttyFile);
        }
        List<String> cmd = new ArrayList<>();
        String setsid = newSession ? HostTools.find("setsid") : null;
        if (setsid != null) cmd.add(setsid);
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        File devNull = new File("/dev/null");
        boolean shareTerminal = attach.inheritStdio() && tty;
        if (attach.inheritStdio()) {
            // with a TTY stdin is the terminal even without -i, as in Docker (where it is the pty, just not fed)
            pb.redirectInput(stdin || shareTerminal ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(devNull));
        } else if ((attach.stdin() == null || !stdin) && !onPty) {
            // (script turns EOF on its stdin into a byte for the pty: on a pty, stdin stays an open, silent pipe)
            pb.redirectInput(ProcessBuilder.Redirect.from(devNull));
        }
        if (shareTerminal) {
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Map<String, sun.misc.SignalHandler> saved = attach.inheritStdio() ? install(tty, forward) : Map.of();
        try (LogFile.Writer logOut = log == null || shareTerminal ? null : new LogFile.Writer(log, logConfig)) {
            Process p = pb.start();
            io.andock.Trace.phase("attach: monitor spawned");
            List<Thread> pumps = new ArrayList<>();
            if (!shareTerminal) {
                OutputStream out = attach.inheritStdio() ? new FileOutputStream(FileDescriptor.out) : attach.stdout();
                OutputStream err = attach.inheritStdio() ? new FileOutputStream(FileDescriptor.err) : attach.stderr();
                pumps.add(pump(p.getInputStream(), out, logOut, 1));
                pumps.add(pump(p.getErrorStream(), err, logOut, 2));
            }
            if (!attach.inheritStdio() && attach.stdin() != null && stdin) feed(attach.stdin(), p.getOutputStream(), onPty);
            onStart.started(p);
            int code = p.waitFor();
            io.andock.Trace.phase("attach: monitor exited");
            for (Thread t : pumps) t.join();
            return code;
        } catch (IOException e) {
            throw AndockException.wrap("run " + argv.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "interrupted");
        } finally {
            saved.forEach((name, h) -> sun.misc.Signal.handle(new sun.misc.Signal(name), h));
        }
    }

    private static Map<String, sun.misc.SignalHandler> install(boolean tty, IntConsumer forward) {
        Map<String, sun.misc.SignalHandler> saved = new HashMap<>();
        for (String name : FORWARDED) {
            boolean fromTerminal = tty && (name.equals("INT") || name.equals("QUIT"));
            int num = Signals.parse(name);
            sun.misc.SignalHandler h = fromTerminal ? s -> { } : s -> {
                try {
                    forward.accept(num);
                } catch (RuntimeException ignored) {
                    // the container may be gone already
                }
            };
            try {
                saved.put(name, sun.misc.Signal.handle(new sun.misc.Signal(name), h));
            } catch (IllegalArgumentException ignored) {
                // the JVM reserves this signal (QUIT with some options): leave it
            }
        }
        return saved;
    }

    /**
     * Copies {@code in} to {@code out} and, as records of {@code stream} ({@link LogFile}), to {@code log}, until
     * EOF: when the reader of {@code out} goes away, the rest still goes to the log, and the pipe never fills up
     * under a container that goes on writing.
     */
    private static Thread pump(InputStream in, OutputStream out, LogFile.Writer log, int stream) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            boolean reader = true;
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (log != null) log.write(stream, buf, 0, n);
                    if (reader) reader = copy(buf, n, out);
                }
            } catch (IOException ignored) {
                // the log cannot be written or the process's pipe failed: the process's own exit decides
            }
        }, "andock-attach");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** False when {@code out}'s reader went away. */
    private static boolean copy(byte[] buf, int n, OutputStream out) {
        try {
            synchronized (out) {
                out.write(buf, 0, n);
                out.flush();
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Copies {@code in} to the process's stdin, flushing each chunk: keystrokes must not wait for EOF in a buffer.
     * At EOF the pipe is closed; a pty's input is left open (script would turn EOF into a byte for the process), and
     * so is every input once the client detached ({@link DetachKeys}).
     */
    private static void feed(InputStream in, OutputStream procIn, boolean pty) {
        Thread t = new Thread(() -> {
            try {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    procIn.write(buf, 0, n);
                    procIn.flush();
                }
                // A terminal's input is never ended by a client leaving (Docker: a TTY's stdin outlives every
                // attach; docker run -it, then the detach keys, must leave the shell running). Pipes are closed.
                if (!pty) procIn.close();
            } catch (DetachKeys.Detached d) {
                // the client detached: the process keeps its stdin open, as in Docker, and just gets no more input
            } catch (IOException ignored) {
                // the process closed its stdin
            }
        }, "andock-stdin");
        t.setDaemon(true);
        t.start();
    }
}
