package io.andock.os;

import java.io.File;
import java.io.IOException;
import java.util.List;

/** A short host command (mount, stty, a probe) run to completion with no stdin. */
public final class HostCommand {
    private HostCommand() {}

    /** Runs {@code cmd}; returns null on success, else its output (or the exit status when it printed nothing). */
    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? null : (out.isEmpty() ? "exit " + p.exitValue() : out);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
