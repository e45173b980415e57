package io.andock.task;

import io.andock.AndockException;
import io.andock.container.ContainerDir;
import io.andock.container.ContainerRecord;
import io.andock.container.Healthcheck;
import io.andock.container.ProcessResolver;
import io.andock.container.ProcessSpec;
import io.andock.dockerfile.GoDuration;
import io.andock.driver.Driver;
import io.andock.os.FileTrees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Docker's health checks, run without a JVM: before a start, {@link #prepare} writes the check's timing for
 * {@code andock-health.sh} (which the monitor runs beside the container); once the container runs, {@link #arm}
 * writes the probe, the driver's exec of the check's command. {@link io.andock.container.HealthStatus} reads the
 * results back.
 */
final class Health {
    private Health() {
    }

    /** The check a container runs: its own over the image's, field by field (Docker's merge); null: none. */
    static Healthcheck of(ContainerRecord r) {
        Healthcheck image = r.imageConfig().has("Healthcheck") ? Healthcheck.fromJson(r.imageConfig().object("Healthcheck")) : null;
        Healthcheck own = r.spec().healthcheck();
        Healthcheck h = own == null ? image : own.over(image);
        return h == null || h.disabled() || h.command().isEmpty() ? null : h;
    }

    /** Clears the last run's results; writes the config when there is a check. Returns whether there is one. */
    static boolean prepare(ContainerDir dir, ContainerRecord r) {
        Path h = dir.health();
        try {
            if (Files.exists(h)) FileTrees.deleteTree(h);
            Healthcheck hc = of(r);
            if (hc == null) return false;
            Files.createDirectories(h);
            long startPeriod = hc.startPeriodNanos() / 1_000_000;
            String config = millis(hc.interval()) + " " + millis(hc.timeout()) + " " + startPeriod + " " + hc.effectiveRetries()
                    + " " + GoDuration.format(hc.timeout()) + "\n"; // the last: how Docker's timeout message says it
            Files.writeString(h.resolve("config"), config, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            throw AndockException.wrap("prepare the health check", e);
        }
    }

    private static long millis(long nanos) {
        return Math.max(1, nanos / 1_000_000);
    }

    /** Once the container runs (main pid {@code pid}): the probe the loop runs, renamed into place whole. */
    static void arm(ContainerDir dir, ContainerRecord r, String id, Driver driver, long pid) {
        Healthcheck hc = of(r);
        if (hc == null || !Files.isDirectory(dir.health())) return;
        ProcessSpec p = ProcessResolver.resolveExec(dir.rootfs(), r.process(), hc.command(), List.of(), null, null, false);
        List<String> argv = driver.execCommand(dir.bundle(), id, pid, p.toJson());
        StringBuilder sh = new StringBuilder("exec");
        for (String a : argv) sh.append(' ').append(Pty.quote(List.of(a)));
        Path probe = dir.health().resolve("probe");
        Path tmp = dir.health().resolve(".probe");
        try {
            Files.writeString(tmp, sh.append('\n').toString(), StandardCharsets.UTF_8);
            Files.move(tmp, probe, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("arm the health check", e);
        }
    }
}
