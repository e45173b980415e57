package io.andock.driver;

import io.andock.os.Interruptible;
import io.andock.container.OciMount;
import io.andock.container.ProcessSpec;
import io.andock.os.HostTools;
import io.andock.os.ShellScript;
import io.andock.os.ProcessTable;
import io.andock.AndockException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs containers with PRoot (ptrace): no root, no namespaces, works in Termux on unrooted phones. Root is faked
 * ({@code -0}, or {@code -i uid:gid}); {@code /proc}, {@code /dev}, {@code /sys} and the bundle's binds are
 * bound; tmpfs mounts (including {@code /dev/shm}) become directories in the bundle; images for another CPU run
 * under qemu-user ({@code -q}). Where Android hides {@code /proc/stat} and friends, plausible files are bound
 * instead (as proot-distro does). Read-only binds cannot be enforced, nor the network, pids or resources isolated.
 */
public final class ProotDriver implements Driver {
    static final List<String> PROC_FILES = List.of("stat", "loadavg", "uptime", "version", "vmstat");

    @Override
    public String name() {
        return "proot";
    }

    @Override
    public DriverFeatures features() {
        return new DriverFeatures(false, false, false, true, true, false);
    }

    /**
     * proot exits 255 when its tracee dies of a signal, so the command is wrapped in a host shell that turns 255 into
     * 128+n when {@link #kill} recorded signal n in {@code <bundle>/signal} ({@code proot-wrapper.sh}). The last
     * run's signal file is removed here, before the run starts, not by the wrapper: a {@code kill} right after start
     * would see its record removed and the container end with proot's 255.
     */
    static final ShellScript WRAPPER = ShellScript.load(ProotDriver.class, "proot-wrapper.sh");

    /**
     * The same for a proot without {@code --kill-on-exit} (Debian's 5.1), which exits with the status of whichever
     * tracee ended last: the wrapper also ends the container with its first process ({@code proot-watching-wrapper.sh}).
     */
    static final ShellScript WATCHING_WRAPPER = ShellScript.load(ProotDriver.class, "proot-watching-wrapper.sh");

    @Override
    public List<String> runCommand(Path bundle, String containerId) {
        try {
            Files.deleteIfExists(bundle.resolve("signal"));
        } catch (IOException e) {
            throw AndockException.wrap("run " + containerId, e);
        }
        BundleSpec spec = BundleSpec.read(bundle);
        return (killOnExit() ? WRAPPER : WATCHING_WRAPPER).argv(bundle.toString(), command(bundle, spec, spec.process()));
    }

    @Override
    public List<String> execCommand(Path bundle, String containerId, long mainPid, Map<String, Object> process) {
        return command(bundle, BundleSpec.read(bundle), ProcessSpec.fromJson(io.andock.json.JsonObject.of(process)));
    }

    private List<String> command(Path bundle, BundleSpec spec, ProcessSpec p) {
        List<String> cmd = new ArrayList<>(HostTools.envCleared("proot driver"));
        for (String k : List.of("PROOT_TMP_DIR", "PROOT_LOADER", "PROOT_L2S_DIR")) {
            if (System.getenv(k) != null) cmd.add(k + "=" + System.getenv(k));
        }
        cmd.addAll(p.env());
        cmd.add(HostTools.require("proot", "proot driver"));
        if (killOnExit()) cmd.add("--kill-on-exit"); // Termux's proot; Debian's 5.1 lacks it
        // hard links as symlinks: Android refuses link(2) to apps, and dpkg, apt, perl's installs need them
        if (link2symlink()) cmd.add("--link2symlink");
        cmd.addAll(List.of("-v", "-1")); // no "proot info: pid N: terminated with signal S" in the container's output
        if (p.uid() == 0 && p.gid() == 0) cmd.add("-0");
        else cmd.addAll(List.of("-i", p.uid() + ":" + p.gid()));
        cmd.addAll(List.of("-r", spec.rootfs().toString(), "-w", p.cwd()));
        try {
            for (OciMount m : spec.mounts()) cmd.addAll(binds(bundle, m));
        } catch (IOException e) {
            throw AndockException.wrap("proot bundle " + bundle, e);
        }
        String qemu = spec.qemu();
        if (qemu != null) cmd.addAll(List.of("-q", qemu));
        cmd.addAll(p.args());
        return cmd;
    }

    private static List<String> binds(Path bundle, OciMount m) throws IOException {
        String dest = m.destination();
        return switch (dest) {
            case "/proc" -> procBinds(bundle);
            case "/dev", "/sys" -> List.of("-b", dest);
            case "/dev/pts", "/dev/mqueue", "/sys/fs/cgroup" -> List.of();
            default -> {
                if (m.type().equals("tmpfs")) yield List.of("-b", BundleSpec.tmpfsDir(bundle, dest) + ":" + dest);
                if (m.isBind()) yield List.of("-b", m.source() + ":" + dest);
                yield List.of();
            }
        };
    }

    /** Whether this proot has {@code --kill-on-exit} (Termux's; Debian's 5.1 has not). */
    static boolean killOnExit() {
        return prootOptions().contains("--kill-on-exit");
    }

    /** Whether this proot has {@code --link2symlink} (Termux's; Debian's 5.1 has not). */
    static boolean link2symlink() {
        return prootOptions().contains("--link2symlink");
    }

    private static java.util.Set<String> prootOptions;

    /** proot's long options, once per process (and per boot, see {@link ProotFeatures}). */
    private static synchronized java.util.Set<String> prootOptions() {
        if (prootOptions == null) prootOptions = ProotFeatures.of(HostTools.require("proot", "proot driver"));
        return prootOptions;
    }

    /** {@code -b /proc}, plus stand-ins for the files Android 8+ hides from apps. */
    static List<String> procBinds(Path bundle) throws IOException {
        List<String> out = new ArrayList<>(List.of("-b", "/proc"));
        for (String f : PROC_FILES) {
            if (readable(Path.of("/proc", f))) continue;
            Path fake = bundle.resolve("proc").resolve(f);
            Files.createDirectories(fake.getParent());
            Files.writeString(fake, FakeProc.content(f));
            out.addAll(List.of("-b", fake + ":/proc/" + f));
        }
        return out;
    }

    private static boolean readable(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Signals the container's first process (proot's child), not proot or the wrapper; with {@code all} every
     * descendant too. An exec'd proot ({@code mainPid} is then proot itself) gets its child signalled the same way.
     */
    @Override
    public void kill(Path bundle, String containerId, long mainPid, int signal, boolean all) {
        try {
            Files.writeString(bundle.resolve("signal"), Integer.toString(signal));
        } catch (IOException e) {
            throw AndockException.wrap("kill", e);
        }
        if (all) { // twice: a process forked between the scan and the signal is caught by the second round
            for (int round = 0; round < 2; round++) ProcessTable.signal(signal, ProcessTable.descendants(mainPid));
            ProcessTable.signal(signal, List.of(mainPid));
            return;
        }
        // right after start proot may not have forked the container yet: wait for it rather than signal proot or
        // the wrapper (proot would leave its tracee running). The container's first process is the child proot
        // traces; the wrapper's own helpers (its watch loop's sleep, grep and sed) are children too, never traced.
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<Long> targets = new ArrayList<>();
        while (targets.isEmpty() && ProcessTable.alive(mainPid) && System.nanoTime() < deadline) {
            for (long proot : ProcessTable.children(mainPid)) {
                for (long c : ProcessTable.children(proot)) if (ProcessTable.tracer(c) == proot) targets.add(c);
            }
            if (targets.isEmpty()) Interruptible.sleep(5);
        }
        ProcessTable.signal(signal, targets);
    }

    @Override
    public void delete(Path bundle, String containerId) {
        // nothing kept outside the bundle
    }
}
