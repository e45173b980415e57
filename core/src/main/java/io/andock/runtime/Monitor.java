package io.andock.runtime;

import io.andock.AndockException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The container monitor: {@code andock-monitor.sh}, a POSIX sh shim (resource), written once to
 * {@code <root>/bin/}. It runs the driver's command, writes {@code pid} and {@code exit} into the container dir,
 * unmounts the overlay and, for {@code --rm}, removes the container. No JVM stays behind a detached container.
 */
final class Monitor {
    private final Path script;

    Monitor(Path root) {
        this.script = root.resolve("bin").resolve("andock-monitor.sh");
    }

    /** The monitor's argv for {@code driverCommand}; {@code cleanup} lists its options ({@code --umount P}...). */
    List<String> argv(Path containerDir, boolean stdinFifo, List<String> cleanup, List<String> driverCommand) {
        install();
        List<String> cmd = new ArrayList<>(List.of(HostTools.sh(), script.toString(), containerDir.toString()));
        if (stdinFifo) cmd.add("--stdin-fifo");
        cmd.addAll(cleanup);
        cmd.add("--");
        cmd.addAll(driverCommand);
        return cmd;
    }

    private void install() {
        try {
            byte[] want;
            try (InputStream in = Monitor.class.getResourceAsStream("andock-monitor.sh")) {
                if (in == null) throw new AndockException(AndockException.Kind.INTERNAL, "andock-monitor.sh missing from the jar");
                want = in.readAllBytes();
            }
            if (Files.isRegularFile(script) && Arrays.equals(Files.readAllBytes(script), want)) return;
            Files.createDirectories(script.getParent());
            Path tmp = script.resolveSibling("andock-monitor.sh.tmp" + ProcessHandle.current().pid());
            Files.write(tmp, want);
            Files.setAttribute(tmp, "unix:mode", 0755);
            Files.move(tmp, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AndockException.wrap("install " + script, e);
        }
    }
}
