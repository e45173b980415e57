package io.andock.snapshot;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Unix {@code st_mode} values: one lstat for type and all twelve permission bits, chmod with {@code unix:mode}. */
final class Modes {
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;
    static final int S_IFREG = 0100000;

    private Modes() {}

    /** {@code st_mode} of {@code p} without following a final symlink, or -1 when it does not exist. */
    static int lstat(Path p) throws IOException {
        try {
            return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (FileSystemException e) {
            if ("Not a directory".equals(e.getReason())) return -1; // ENOTDIR: a parent is a file now
            throw e;
        }
    }

    static boolean isDir(int m) {
        return (m & S_IFMT) == S_IFDIR;
    }

    static boolean isSymlink(int m) {
        return (m & S_IFMT) == S_IFLNK;
    }

    /** chmod, setuid/setgid/sticky included. Follows a final symlink: call it on files and directories only. */
    static void set(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode & 07777);
    }
}
