package io.andock.container;

import io.andock.os.CommandRunner;
import io.andock.os.HostTools;
import io.andock.AndockException;
import io.andock.os.FileTrees;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A container's writable rootfs ({@link ContainerDir#rootfs()}): an overlay (lower = the image's snapshot, upper/work in
 * the container dir) where this process is root, the kernel has overlay and the mount works; otherwise a private
 * {@link TreeCopy} of the snapshot. Either way the image is never written.
 */
public final class ContainerRootfs {
    public static final String OVERLAY = "overlay", COPY = "copy";

    private ContainerRootfs() {}

    /** Creates the rootfs for a new container in {@code dir}; returns the mode used. */
    public static String create(ContainerDir dir, Path imageRootfs) {
        try {
            Files.createDirectories(dir.rootfs());
            if (overlayPossible()) {
                Files.createDirectories(dir.overlayUpper());
                Files.createDirectories(dir.overlayWork());
                if (tryMount(dir, imageRootfs) == null) {
                    return OVERLAY; // left mounted for the start that usually follows (rm unmounts it)
                }
                FileTrees.removeTree(dir.overlayUpper());
                FileTrees.removeTree(dir.overlayWork());
            }
            TreeCopy.copy(imageRootfs, dir.rootfs());
            return COPY;
        } catch (IOException e) {
            throw AndockException.wrap("create rootfs", e);
        }
    }

    /** Mounts the overlay of an overlay-mode container unless mounted already; a copy needs nothing. */
    public static void ensureMounted(ContainerDir dir, String mode, Path imageRootfs) {
        if (!OVERLAY.equals(mode) || isMounted(dir.rootfs())) return;
        if (!Files.isDirectory(imageRootfs)) {
            throw AndockException.notFound("the container's image rootfs is gone: " + imageRootfs);
        }
        String err = tryMount(dir, imageRootfs);
        if (err != null) throw new AndockException(AndockException.Kind.UNAVAILABLE, "mount overlay rootfs: " + err);
    }

    /** mount and umount of a local overlay: seconds at worst, but never a hang that holds a container's lock. */
    private static final java.time.Duration MOUNT_TIMEOUT = java.time.Duration.ofSeconds(60);

    static boolean overlayPossible() {
        if (!HostTools.isRoot() || HostTools.find("mount") == null) return false;
        try {
            return Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static String tryMount(ContainerDir dir, Path lower) {
        String opts = "lowerdir=" + lower + ",upperdir=" + dir.overlayUpper() + ",workdir=" + dir.overlayWork();
        return CommandRunner.failure(List.of(HostTools.require("mount", "overlay"), "-t", "overlay", "overlay", "-o", opts,
                dir.rootfs().toString()), MOUNT_TIMEOUT);
    }

    public static boolean isMounted(Path p) {
        String abs = p.toAbsolutePath().normalize().toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].equals(abs)) return true;
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Unmounts {@code p} if it is a mount point (lazily if busy). */
    public static void unmount(Path p) {
        if (!isMounted(p)) return;
        String umount = HostTools.find("umount");
        if (umount == null) return;
        if (CommandRunner.failure(List.of(umount, p.toString()), MOUNT_TIMEOUT) != null) CommandRunner.failure(List.of(umount, "-l", p.toString()), MOUNT_TIMEOUT);
    }

    /** Unmounts everything mounted at or below {@code dir} (deepest first), before a delete. */
    public static void unmountAll(Path dir) {
        String abs = dir.toAbsolutePath().normalize().toString();
        try {
            List<String> points = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(l -> l.split(" ")).filter(f -> f.length > 4).map(f -> f[4])
                    .filter(m -> m.equals(abs) || m.startsWith(abs + "/"))
                    .sorted((a, b) -> b.length() - a.length()).toList();
            for (String m : points) unmount(Path.of(m));
        } catch (IOException ignored) {
            // nothing mounted that we can see
        }
    }

    /** Whether anything is mounted at or below {@code dir}. */
    public static boolean mountedBelow(Path dir) {
        String abs = dir.toAbsolutePath().normalize().toString();
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" "))
                    .anyMatch(f -> f.length > 4 && (f[4].equals(abs) || f[4].startsWith(abs + "/")));
        } catch (IOException e) {
            return false;
        }
    }
}
