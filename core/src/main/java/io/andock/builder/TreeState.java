package io.andock.builder;

import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a root filesystem looked like at one moment: for every path (relative, {@code /}-separated, sorted so a
 * directory comes before its children) its type, mode, owner, size, times and inode, from one {@code lstat}. Two
 * states of the same tree tell what a step changed ({@link LayerDiff}): any write to a file changes its ctime, a
 * replaced file has a new inode, so content need not be hashed. (Filesystems with coarse timestamps could hide a
 * same-size rewrite within one tick; ext4, f2fs and overlayfs keep nanoseconds.)
 */
public record TreeState(Map<String, Node> nodes) {

    public enum Kind { FILE, DIRECTORY, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET }

    /** One lstat result. Times in nanoseconds since the epoch. */
    public record Node(Kind kind, int mode, long uid, long gid, long size, long mtimeNanos, long ctimeNanos, long ino,
                       long dev, int nlink, long rdev) {

        /**
         * Same file, unchanged: everything but the access time compared. A directory's times and size are left out:
         * they change with its entries (a runtime's mount-point stubs included), and a changed entry brings its
         * directory into the layer anyway ({@link LayerDiff#changes}).
         */
        boolean sameAs(Node o) {
            if (kind == Kind.DIRECTORY && o.kind == Kind.DIRECTORY) {
                return mode == o.mode && uid == o.uid && gid == o.gid && ino == o.ino;
            }
            return kind == o.kind && mode == o.mode && uid == o.uid && gid == o.gid && size == o.size
                    && mtimeNanos == o.mtimeNanos && ctimeNanos == o.ctimeNanos && ino == o.ino && rdev == o.rdev;
        }
    }

    public TreeState {
        nodes = Collections.unmodifiableMap(new TreeMap<>(nodes));
    }

    public static TreeState empty() {
        return new TreeState(Map.of());
    }

    /** Scans {@code root} without following symlinks; the root itself is not included. */
    public static TreeState scan(Path root) {
        return scan(root, p -> false);
    }

    /**
     * {@link #scan(Path)}, not descending into the directories whose relative path {@code prune} accepts (they are
     * listed, their contents are not): a container's mount points, where a host without a private mount namespace
     * shows /proc or a volume.
     */
    public static TreeState scan(Path root, java.util.function.Predicate<String> prune) {
        Map<String, Node> out = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                    if (dir.equals(root)) return FileVisitResult.CONTINUE;
                    String rel = rel(root, dir);
                    out.put(rel, node(dir));
                    return prune.test(rel) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    out.put(rel(root, f), node(f));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw AndockException.wrap("scan " + root, e);
        }
        return new TreeState(out);
    }

    static String rel(Path root, Path p) {
        return root.relativize(p).toString();
    }

    static Node node(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        Kind kind = switch (mode & 0170000) {
            case 0040000 -> Kind.DIRECTORY;
            case 0120000 -> Kind.SYMLINK;
            case 0020000 -> Kind.CHAR_DEVICE;
            case 0060000 -> Kind.BLOCK_DEVICE;
            case 0010000 -> Kind.FIFO;
            case 0140000 -> Kind.SOCKET;
            default -> Kind.FILE;
        };
        return new Node(kind, mode & 07777, ((Number) a.get("uid")).longValue(), ((Number) a.get("gid")).longValue(),
                (Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")),
                (Long) a.get("ino"), (Long) a.get("dev"), (Integer) a.get("nlink"), (Long) a.get("rdev"));
    }

    private static long nanos(FileTime t) {
        return t == null ? 0 : t.to(TimeUnit.NANOSECONDS);
    }
}
