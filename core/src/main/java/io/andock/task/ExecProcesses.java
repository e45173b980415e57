package io.andock.task;

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

    static void record(Path containerDir, long pid) {
        try {
            Path dir = containerDir.resolve("execs");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(Long.toString(pid)), Long.toString(ProcessTable.startTime(pid)));
        } catch (IOException ignored) {
            // best effort: only the cleanup after a stop depends on it
        }
    }

    static void forget(Path containerDir, long pid) {
        try {
            Files.deleteIfExists(containerDir.resolve("execs").resolve(Long.toString(pid)));
        } catch (IOException ignored) {
            // the container dir may be gone (--rm)
        }
    }

    /** SIGKILL to every recorded exec that still runs (the same process: its start time matches), and to its children. */
    static void killAll(Path containerDir) {
        Path dir = containerDir.resolve("execs");
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
