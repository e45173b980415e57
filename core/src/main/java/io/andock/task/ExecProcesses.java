package io.andock.task;

import io.andock.container.ContainerDir;
import io.andock.os.ProcessTable;
import io.andock.os.Signals;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of a container's running execs, one file each under {@code <container>/execs/} (pid, start time).
 * Drivers without a pid namespace (proot, chroot) run an exec as a process of its own, outside the main process's
 * tree, which nothing would end when the container stops; {@code stop}, {@code rm} and the next {@code start} end
 * them, as Docker's pid namespace does.
 */
final class ExecProcesses {
    private ExecProcesses() {}

    static void record(ContainerDir containerDir, long pid) {
        try {
            Path dir = containerDir.execs();
            Files.createDirectories(dir);
            Files.writeString(containerDir.exec(pid), Long.toString(ProcessTable.startTime(pid)));
        } catch (IOException ignored) {
            // best effort: only the cleanup after a stop depends on it
        }
    }

    static void forget(ContainerDir containerDir, long pid) {
        try {
            Files.deleteIfExists(containerDir.exec(pid));
        } catch (IOException ignored) {
            // the container dir may be gone (--rm)
        }
    }

    /** SIGKILL to every recorded exec that still runs (the same process: its start time matches), and to its children. */
    static void killAll(ContainerDir containerDir) {
        Path dir = containerDir.execs();
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                try {
                    long pid = Long.parseLong(f.getFileName().toString());
                    long start = Long.parseLong(Files.readString(f).trim());
                    if (ProcessTable.alive(pid) && ProcessTable.startTime(pid) == start) {
                        List<Long> tree = new ArrayList<>(ProcessTable.descendants(pid));
                        tree.add(pid);
                        ProcessTable.signal(Signals.KILL, tree);
                    }
                    Files.deleteIfExists(f);
                } catch (IOException | RuntimeException ignored) {
                    // gone meanwhile, or not ours
                }
            }
        } catch (IOException ignored) {
            // nothing recorded
        }
    }
}
