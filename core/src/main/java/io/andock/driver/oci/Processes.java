package io.andock.driver.oci;

import io.andock.AndockException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short runtime command (state, kill, delete, a probe) to completion, stdin closed. */
final class Processes {

    record Result(int exitCode, byte[] stdout, String stderr) {
        boolean ok() { return exitCode == 0; }

        /** The first line of stderr without runc's logrus prefix ({@code time=… level=error msg="…"}). */
        String error() {
            String s = stderr.strip();
            int msg = s.indexOf("msg=\"");
            if (msg >= 0) {
                int end = s.indexOf('"', msg + 5);
                s = s.substring(msg + 5, end < 0 ? s.length() : end);
            }
            int nl = s.indexOf('\n');
            return (nl < 0 ? s : s.substring(0, nl)).strip();
        }
    }

    private Processes() {}

    static Result run(List<String> argv, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            byte[] out = drain(p.getInputStream());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AndockException(AndockException.Kind.UNAVAILABLE, "timed out after " + timeoutSeconds + " s: " + String.join(" ", argv));
            }
            return new Result(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw AndockException.wrap("run " + argv.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "interrupted: " + String.join(" ", argv), e);
        }
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
