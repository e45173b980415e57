package io.andock.driver;

import io.andock.container.OciMount;
import io.andock.container.ProcessSpec;
import io.andock.container.RootPaths;
import io.andock.os.HostTools;
import io.andock.os.ProcessTable;
import io.andock.os.Signals;
import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs containers with chroot, as root (rooted phones, Linux Deploy style): a private mount namespace
 * ({@code unshare -m --propagation private}) in which a host shell mounts proc, {@code /dev}, {@code /sys}, a tmpfs
 * {@code /dev/shm}, the binds and the {@code /etc} files into the rootfs, then {@code unshare --root --wd -S -G}
 * enters it as the container's user. Mount points are resolved inside the rootfs before ({@link RootPaths}).
 * No pid, network or ipc isolation; supplementary groups are dropped; {@code exec} joins with {@code nsenter}.
 */
public final class ChrootDriver implements Driver {

    @Override
    public String name() {
        return "chroot";
    }

    @Override
    public DriverFeatures features() {
        return new DriverFeatures(false, false, false, false, false, true);
    }

    @Override
    public List<String> runCommand(Path bundle, String containerId) {
        if (!HostTools.isRoot()) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED, "the chroot driver needs root; use --driver proot");
        }
        BundleSpec spec = BundleSpec.read(bundle);
        if (spec.qemu() != null && !binfmtRegistered()) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED, "the image is for " + spec.platform()
                    + ": the chroot driver needs binfmt_misc qemu handlers (or use --driver proot)");
        }
        StringBuilder script = new StringBuilder("set -e\n");
        try {
            for (OciMount m : spec.mounts()) mountLine(script, bundle, spec.rootfs(), m);
        } catch (IOException e) {
            throw AndockException.wrap("chroot bundle " + bundle, e);
        }
        ProcessSpec p = spec.process();
        List<String> enter = new ArrayList<>(HostTools.envCleared("chroot driver"));
        enter.addAll(p.env());
        enter.addAll(List.of(HostTools.require("unshare", "chroot driver"), "--root=" + spec.rootfs(), "--wd=" + p.cwd(),
                "--setgid", Long.toString(p.gid()), "--setuid", Long.toString(p.uid()), "--"));
        enter.addAll(p.args());
        script.append("exec");
        for (String a : enter) script.append(' ').append(quote(a));
        script.append('\n');
        return List.of(HostTools.require("unshare", "chroot driver"), "--mount", "--propagation", "private", "--",
                HostTools.sh(), "-c", script.toString(), "andock-chroot");
    }

    private static void mountLine(StringBuilder s, Path bundle, Path rootfs, OciMount m) throws IOException {
        String mount = quote(HostTools.require("mount", "chroot driver"));
        String dest = m.destination();
        switch (dest) {
            case "/dev/pts", "/dev/mqueue", "/sys/fs/cgroup" -> { return; }
            default -> { }
        }
        boolean fileBind = m.isBind() && Files.isRegularFile(Path.of(m.source()));
        Path target = fileBind ? mkfile(rootfs, dest) : RootPaths.mkdirs(rootfs, dest);
        String t = quote(target.toString());
        switch (dest) {
            case "/proc" -> s.append(mount).append(" -t proc -o nosuid,nodev,noexec proc ").append(t).append('\n');
            case "/dev", "/sys" -> s.append(mount).append(" --rbind ").append(dest).append(' ').append(t).append('\n');
            default -> {
                if (m.type().equals("tmpfs")) {
                    List<String> opts = m.options().stream().filter(o -> !o.equals("ro") || !dest.equals("/dev/shm")).toList();
                    s.append(mount).append(" -t tmpfs -o ").append(quote(String.join(",", opts))).append(" tmpfs ").append(t).append('\n');
                } else if (m.isBind()) {
                    s.append(mount).append(" --rbind ").append(quote(m.source())).append(' ').append(t).append('\n');
                    if (m.readOnly()) s.append(mount).append(" -o remount,bind,ro ").append(t).append('\n');
                }
            }
        }
    }

    private static Path mkfile(Path rootfs, String dest) throws IOException {
        int slash = dest.lastIndexOf('/');
        Path parent = RootPaths.mkdirs(rootfs, slash <= 0 ? "/" : dest.substring(0, slash));
        Path f = parent.resolve(dest.substring(slash + 1));
        if (Files.isSymbolicLink(f)) Files.delete(f); // e.g. /etc/resolv.conf -> ../run/...: replaced, not followed
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) Files.createFile(f);
        return f;
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static boolean binfmtRegistered() {
        try (var ds = Files.newDirectoryStream(Path.of("/proc/sys/fs/binfmt_misc"), "qemu-*")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code nsenter} into the main process's mount namespace and root, as the exec's user, in its cwd. */
    @Override
    public List<String> execCommand(Path bundle, String containerId, long mainPid, Map<String, Object> process) {
        ProcessSpec p = ProcessSpec.fromJson(io.andock.json.JsonObject.of(process));
        List<String> cmd = new ArrayList<>(HostTools.envCleared("chroot driver"));
        cmd.addAll(p.env());
        cmd.addAll(List.of(HostTools.require("nsenter", "chroot driver"), "--target", Long.toString(mainPid), "--mount",
                "--root", "--wdns=" + p.cwd(), "--setgid", Long.toString(p.gid()), "--setuid", Long.toString(p.uid()), "--"));
        cmd.addAll(p.args());
        return cmd;
    }

    /**
     * exec enters the main process's mount namespace and root ({@code nsenter --root}): not before unshare has
     * made the mounts and changed its root to the rootfs, or the exec would run on the host's root.
     */
    @Override
    public void awaitRunning(Path bundle, String containerId, long mainPid, long deadlineNanos) {
        Path root = Path.of("/proc", Long.toString(mainPid), "root");
        ProcessTable.await(mainPid, deadlineNanos, () -> {
            try {
                return !java.nio.file.Files.readSymbolicLink(root).toString().equals("/");
            } catch (java.io.IOException e) {
                return true; // gone: nothing to wait for
            }
        });
    }

    @Override
    public void kill(Path bundle, String containerId, long mainPid, int signal, boolean all) {
        List<Long> targets = new ArrayList<>();
        targets.add(mainPid);
        if (all) targets.addAll(ProcessTable.descendants(mainPid));
        ProcessTable.signal(signal, targets);
    }

    /** SIGSTOP/SIGCONT to every process: a chroot has no freezer, but the processes are ours to signal. */
    @Override
    public void pause(Path bundle, String containerId, long mainPid, boolean frozen) {
        List<Long> targets = new ArrayList<>(ProcessTable.descendants(mainPid));
        targets.add(0, mainPid);
        ProcessTable.signal(frozen ? Signals.parse("STOP") : Signals.parse("CONT"), targets);
    }

    @Override
    public void delete(Path bundle, String containerId) {
        // the mounts lived in the container's private mount namespace and went with it
    }
}
