package io.andock.task;

import io.andock.AndockException;
import io.andock.container.ContainerDir;
import io.andock.container.ContainerState;
import io.andock.container.ContainerStore;
import io.andock.os.CommandRunner;
import io.andock.os.HostTools;
import io.andock.os.ProcessTable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code docker top}: the host's {@code ps} (default {@code -ef}) run with the user's arguments, its rows kept
 * for the container's processes only, as dockerd does. A container's processes are, with a pid namespace, every
 * process in the namespace of its first process (execs included); without one (chroot, proot), the descendants of
 * the driver's process (and that process itself when chrooted: chroot's is the container's) and of the recorded execs.
 */
public final class ContainerTop {
    /** The {@code ps} header and the container's rows, each cut into as many fields as the header has. */
    public record Table(List<String> titles, List<List<String>> processes) {
        public Table {
            titles = List.copyOf(titles);
            processes = processes.stream().map(List::copyOf).toList();
        }
    }

    /** ps arguments are the user's: bounded, and passed as separate words, never through a shell. */
    private static final int MAX_ARGS_LENGTH = 1024;
    private final ContainerStore store;
    private final CommandRunner runner;

    public ContainerTop(ContainerStore store, CommandRunner runner) {
        this.store = store;
        this.runner = runner;
    }

    public Table top(String ref, String psArgs) {
        String id = store.resolve(ref);
        ContainerState s = store.state(id);
        if (!s.running()) throw AndockException.conflict("Container " + id + " is not running");
        String args = psArgs == null || psArgs.isBlank() ? "-ef" : psArgs.strip();
        if (args.length() > MAX_ARGS_LENGTH) throw AndockException.invalid("ps arguments too long");
        Set<Long> pids = pids(store.dir(id), s.pid());
        String ps = HostTools.find("ps");
        if (ps == null) throw new AndockException(AndockException.Kind.UNSUPPORTED, "docker top needs ps on the host (procps)");
        List<String> argv = new ArrayList<>();
        argv.add(ps);
        argv.addAll(Arrays.asList(args.split("\\s+")));
        CommandRunner.Result r = runner.run(argv, Duration.ofSeconds(10));
        if (!r.ok()) throw AndockException.invalid("Error running top: " + r.describe());
        return parse(r.stdout(), pids);
    }

    /** dockerd's parsing: the PID column found by its title, the last column holding the rest of the line. */
    static Table parse(String output, Set<Long> pids) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) throw AndockException.invalid("Error running top: ps printed nothing");
        List<String> titles = Arrays.asList(lines.get(0).trim().split("\\s+"));
        int pidIndex = titles.indexOf("PID");
        if (pidIndex < 0) throw AndockException.invalid("Couldn't find PID field in ps output");
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length <= pidIndex) continue;
            long pid;
            try {
                pid = Long.parseLong(f[pidIndex]);
            } catch (NumberFormatException e) {
                throw AndockException.invalid("Unexpected pid '" + f[pidIndex] + "' in ps output");
            }
            if (!pids.contains(pid)) continue;
            List<String> row = new ArrayList<>(Arrays.asList(f).subList(0, Math.min(f.length, titles.size() - 1)));
            if (f.length >= titles.size()) row.add(String.join(" ", Arrays.asList(f).subList(titles.size() - 1, f.length)));
            rows.add(row);
        }
        return new Table(titles, rows);
    }

    /** The container's processes on the host (see the class comment). */
    static Set<Long> pids(ContainerDir dir, long driverPid) {
        Set<Long> out = new LinkedHashSet<>();
        String hostNs = pidNamespace(ProcessHandle.current().pid());
        String ns = null;
        for (long p : ProcessTable.descendants(driverPid)) {
            String n = pidNamespace(p);
            if (n != null && !n.equals(hostNs)) {
                ns = n;
                break;
            }
        }
        if (ns != null) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) continue;
                    if (ns.equals(pidNamespace(Long.parseLong(name)))) out.add(Long.parseLong(name));
                }
            } catch (IOException e) {
                throw AndockException.wrap("list processes", e);
            }
            return out;
        }
        if (chrooted(driverPid)) out.add(driverPid); // chroot: the recorded pid is the container's own process
        out.addAll(ProcessTable.descendants(driverPid));
        for (long exec : execPids(dir)) {
            out.add(exec);
            out.addAll(ProcessTable.descendants(exec));
        }
        return out;
    }

    private static List<Long> execPids(ContainerDir dir) {
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(dir.execs())) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.execs())) {
            for (Path f : ds) {
                try {
                    out.add(Long.parseLong(f.getFileName().toString()));
                } catch (NumberFormatException ignored) {
                    // not an exec record
                }
            }
        } catch (IOException ignored) {
            // none
        }
        return out;
    }

    /** Whether {@code pid} runs with another root than the host's (a chroot driver's process, not proot's tracer). */
    private static boolean chrooted(long pid) {
        try {
            return !Files.readSymbolicLink(Path.of("/proc/" + pid + "/root")).toString().equals("/");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String pidNamespace(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
