package io.andock.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a small helper command ({@code mkfifo}, {@code mknod}): Java has no API for them and we use no JNI. */
final class Commands {
    private Commands() {}

    /** Runs {@code cmd}; returns null on success, else a one-line reason. */
    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int rc = p.waitFor();
            if (rc == 0) return null;
            return cmd.get(0) + " exited with " + rc + (out.isEmpty() ? "" : ": " + out.lines().findFirst().orElse(""));
        } catch (IOException e) {
            return cmd.get(0) + " unavailable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
