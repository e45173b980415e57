package io.andock.os;

import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Recursive delete that never leaves the tree: symlinks are removed, never followed (directories are opened relative
 * to their parent's descriptor with {@code O_NOFOLLOW} through {@link SecureDirectoryStream}), and directories
 * without owner {@code rwx} (read-only image directories) are made accessible first so an unprivileged user can empty
 * them. Meant for snapshot, container, volume and build trees; safe to run on a tree a hostile image wrote.
 */
public final class FileTrees {
    /** Deeper than this, descriptors are released and the walk continues by path (lstat-checked). */
    private static final int MAX_OPEN_DEPTH = 64;
    /**
     * Trees are deleted while others may still touch them: two removers of one container (the monitor of a --rm run
     * and a forced rm), or a last process of the container writing as it dies. Entries that vanish are fine; a
     * directory that gains entries while being emptied is emptied again, this many times at most.
     */
    private static final int EMPTYING_ROUNDS = 5;
    private static final Set<PosixFilePermission> OWNER_RWX =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private FileTrees() {}

    /** Deletes {@code path} and, if it is a directory (not a symlink to one), everything under it. Missing is fine. */
    public static void deleteTree(Path path) throws IOException {
        Path abs = path.toAbsolutePath();
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(abs, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!a.isDirectory() || abs.getParent() == null) {
            if (a.isDirectory()) throw new IOException("refusing to delete " + abs);
            Files.deleteIfExists(abs);
            return;
        }
        try (DirectoryStream<Path> parent = Files.newDirectoryStream(abs.getParent())) {
            if (parent instanceof SecureDirectoryStream<Path> sds) {
                deleteIn(sds, abs.getParent(), abs.getFileName(), 0);
                return;
            }
        }
        deleteByPath(abs);
    }

    /** {@link #deleteTree}, a failure being an {@link AndockException} "remove PATH: …". */
    public static void removeTree(Path path) {
        try {
            deleteTree(path);
        } catch (IOException e) {
            throw AndockException.wrap("remove " + path, e);
        }
    }

    private static void deleteIn(SecureDirectoryStream<Path> dir, Path dirPath, Path name, int depth) throws IOException {
        PosixFileAttributeView view = dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes a;
        try {
            a = view.readAttributes();
        } catch (NoSuchFileException e) {
            return;
        }
        if (!a.isDirectory()) {
            try {
                dir.deleteFile(name);
            } catch (NoSuchFileException e) {
                // another remover was first
            }
            return;
        }
        Path childPath = dirPath.resolve(name);
        if (!a.permissions().containsAll(OWNER_RWX)) makeAccessible(childPath, a);
        if (depth >= MAX_OPEN_DEPTH) {
            deleteByPath(childPath);
            return;
        }
        for (int round = 1; ; round++) {
            try (SecureDirectoryStream<Path> child = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                for (Path e : names(child)) deleteIn(child, childPath, e, depth + 1);
            } catch (NoSuchFileException e) {
                return;
            }
            try {
                dir.deleteDirectory(name);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (DirectoryNotEmptyException e) {
                if (round == EMPTYING_ROUNDS) throw e;
            }
        }
    }

    /** The fallback walk: each name is lstat-ed before use and symlinks are unlinked, not followed. */
    private static void deleteByPath(Path p) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (a.isDirectory()) {
            if (!a.permissions().containsAll(OWNER_RWX)) makeAccessible(p, a);
            for (int round = 1; ; round++) {
                List<Path> children;
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    children = names(ds);
                } catch (NoSuchFileException e) {
                    return;
                }
                for (Path c : children) deleteByPath(p.resolve(c.getFileName()));
                try {
                    Files.deleteIfExists(p);
                    return;
                } catch (DirectoryNotEmptyException e) {
                    if (round == EMPTYING_ROUNDS) throw e;
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /** chmod u+rwx of a directory just seen by lstat (chmod has no no-follow form for a path). */
    private static void makeAccessible(Path dir, PosixFileAttributes seen) throws IOException {
        PosixFileAttributes now;
        try {
            now = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return; // another remover was first; the walk finds it gone
        }
        if (!now.isDirectory() || !now.fileKey().equals(seen.fileKey())) throw new IOException("changed while deleting: " + dir);
        Set<PosixFilePermission> p = EnumSet.copyOf(OWNER_RWX);
        p.addAll(now.permissions());
        Files.setPosixFilePermissions(dir, p);
    }

    private static List<Path> names(DirectoryStream<Path> ds) {
        List<Path> out = new ArrayList<>();
        for (Path p : ds) out.add(p.getFileName());
        return out;
    }
}
