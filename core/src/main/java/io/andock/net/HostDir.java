package io.andock.net;

import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The host-wide network directory ({@link Networking#hostDir}) made safe to trust: andock runs, as root, the lease
 * scripts it finds there, so the directory must be this user's and writable by nobody else. {@code /run/andock/net}
 * is (only root writes in {@code /run}); the temporary directory used where there is no {@code /run} might have
 * been made beforehand by someone else, which is refused rather than trusted.
 */
final class HostDir {
    private HostDir() {}

    /** Makes {@code dir} (mode 0755) if missing; throws when another user owns it or others may write in it. */
    static Path ensure(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another process made it: checked below like any other
                }
            }
            Object owner = Files.getAttribute(dir, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Object me = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (Files.isSymbolicLink(dir) || !owner.equals(me)
                    || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new AndockException(AndockException.Kind.CONFLICT, "andock's network directory " + dir
                        + " belongs to another user or others may write in it; remove it, andock makes it again");
            }
            return dir;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw AndockException.wrap("andock's network directory " + dir, e);
        }
    }
}
