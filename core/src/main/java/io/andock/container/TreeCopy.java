package io.andock.container;

import io.andock.os.HostTools;
import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A private copy of a tree: regular files copied (never hard-linked: a write must not reach the shared image), symlinks
 * recreated as they are (never followed, so nothing outside the tree is read), modes with setuid/sticky bits, owners
 * when root, and mtimes kept. Devices, fifos and sockets are skipped (the drivers bind {@code /dev}).
 */
public final class TreeCopy {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private TreeCopy() {}

    public static void copy(Path src, Path dst) {
        boolean root = HostTools.isRoot();
        Deque<Path[]> dirs = new ArrayDeque<>();
        try {
            Files.walkFileTree(src, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                    Path t = dst.resolve(src.relativize(dir).toString());
                    if (!Files.isDirectory(t, NOFOLLOW)) Files.createDirectory(t);
                    dirs.push(new Path[]{dir, t});
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Path t = dst.resolve(src.relativize(f).toString());
                    if (a.isSymbolicLink()) {
                        Files.createSymbolicLink(t, Files.readSymbolicLink(f));
                        owner(f, t, root);
                        try {
                            Files.getFileAttributeView(t, BasicFileAttributeView.class, NOFOLLOW)
                                    .setTimes(a.lastModifiedTime(), null, null);
                        } catch (IOException ignored) {
                            // symlink times are cosmetic
                        }
                    } else if (a.isRegularFile()) {
                        Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                        owner(f, t, root);
                        mode(f, t);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            while (!dirs.isEmpty()) { // children first (stack order), so writing into them came before
                Path[] d = dirs.pop();
                owner(d[0], d[1], root);
                mode(d[0], d[1]);
                Files.setLastModifiedTime(d[1], Files.getLastModifiedTime(d[0], NOFOLLOW));
            }
        } catch (IOException e) {
            throw AndockException.wrap("copy " + src + " to " + dst, e);
        }
    }

    private static void owner(Path from, Path to, boolean root) throws IOException {
        if (!root) return;
        Files.setAttribute(to, "unix:uid", Files.getAttribute(from, "unix:uid", NOFOLLOW), NOFOLLOW);
        Files.setAttribute(to, "unix:gid", Files.getAttribute(from, "unix:gid", NOFOLLOW), NOFOLLOW);
    }

    private static void mode(Path from, Path to) throws IOException {
        int m = (Integer) Files.getAttribute(from, "unix:mode", NOFOLLOW) & 07777;
        Files.setAttribute(to, "unix:mode", m); // after chown, which clears setuid bits
    }
}
