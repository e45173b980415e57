package io.andock.os;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short helper command to completion (a host probe; {@code mount}, {@code stty}, {@code mkfifo}, {@code mknod} or
 * {@code touch -h}, which Java has no API for and we use no JNI). The one place such a command is spawned, so that tests can count or fake
 * the spawns. Implementations must not throw for a command that fails or cannot start: that is a {@link Result} too.
 */
@FunctionalInterface
public interface CommandRunner {

    Result run(List<String> argv, Duration timeout);

    /**
     * How a command ended. {@code exitCode} is -1 when it could not be started or timed out ({@code error} says
     * which). Java reports death by signal N as exit code 128+N; {@link #signal()} decodes that, which is exact
     * for helper commands that never exit above 128 themselves (unshare, mount, true).
     */
    record Result(int exitCode, String stdout, String stderr, String error) {

        public boolean ok() {
            return exitCode == 0;
        }

        /** The signal that killed the command, or 0. */
        public int signal() {
            return exitCode > 128 && exitCode < 128 + 65 ? exitCode - 128 : 0;
        }

        /** One line for a reason: the error, the signal, or the last line of stderr with the exit code. */
        public String describe() {
            if (error != null) return error;
            if (signal() == 31) return "killed by SIGSYS (seccomp forbids a system call)";
            if (signal() != 0) return "killed by signal " + signal();
            String err = stderr == null ? "" : stderr.strip();
            int nl = err.lastIndexOf('\n');
            String last = nl < 0 ? err : err.substring(nl + 1);
            return (last.isEmpty() ? "" : last + "; ") + "exit " + exitCode;
        }
    }

    /**
     * Runs {@code argv} with the {@link #system() system runner}: null when it succeeded, else one line saying why
     * ({@link Result#describe()}). For the call sites that need nothing more (mount, umount, stty, a probe).
     */
    static String failure(List<String> argv, Duration timeout) {
        Result r = system().run(argv, timeout);
        return r.ok() ? null : r.describe();
    }

    /** The real runner: ProcessBuilder, stdin closed, output collected, killed after the timeout. */
    static CommandRunner system() {
        return (argv, timeout) -> {
            Process p;
            try {
                p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            } catch (IOException e) {
                return new Result(-1, "", "", "cannot run " + argv.get(0) + ": " + e.getMessage());
            }
            try {
                Drain out = new Drain(p.getInputStream());
                Drain err = new Drain(p.getErrorStream());
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(1, TimeUnit.SECONDS);
                    return new Result(-1, "", "", argv.get(0) + " timed out after " + timeout.toSeconds() + " s");
                }
                return new Result(p.exitValue(), out.text(), err.text(), null);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                return new Result(-1, "", "", "interrupted");
            }
        };
    }

    /** Reads a stream on a small daemon thread so that a chatty command cannot block on a full pipe. */
    final class Drain {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final Thread thread;

        public Drain(InputStream in) {
            thread = new Thread(() -> {
                try (in) {
                    in.transferTo(buf);
                } catch (IOException e) {
                    // the process went away; keep what was read
                }
            }, "command-drain");
            thread.setDaemon(true);
            thread.start();
        }

        public String text() throws InterruptedException {
            thread.join(1000);
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
