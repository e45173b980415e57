package io.andock.snapshot;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The start of a chain that extends one the store holds (an update that adds a layer to an image the device has):
 * a copy of that snapshot, so that only the new layers are applied, instead of decompressing, hashing and writing
 * the whole chain again. Files are hard links to the held snapshot's (both are read-only once published, and the
 * applier replaces a file by unlinking it, never by writing into it; {@link io.andock.sync.SharedFiles} links
 * snapshots' files the same way); where {@code link()} is refused (Android app storage) they are copied.
 * Directories and symlinks are made anew with the held ones' owner, mode, {@code user.*} xattrs and mtime; the held
 * snapshot's ownership and xattr records are carried over. A tree holding what Java cannot make (a fifo, a device
 * node) is not cloned: {@link Unclonable}, and the caller applies every layer.
 */
final class SnapshotClone {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** The held tree has an entry a clone cannot make: the caller applies the whole chain instead. */
    static final class Unclonable extends IOException {
        Unclonable(String why) {
            super(why);
        }
    }

    private record Made(Path from, Path to) {}

    private final boolean privileged;
    private boolean linksRefused;

    private SnapshotClone(boolean privileged) {
        this.privileged = privileged;
    }

    /**
     * Copies the tree {@code from} (a published snapshot's rootfs) into the existing empty directory {@code to}.
     *
     * @throws IOException anything that stops it (then {@code to} holds part of the tree: the caller empties it)
     */
    static void copy(Path from, Path to, boolean privileged) throws IOException {
        new SnapshotClone(privileged).tree(from, to);
    }

    private void tree(Path from, Path to) throws IOException {
        // directories first to last in creation order; their metadata in reverse order, children before parents, so
        // that adding a child does not change a directory's mtime after it was set, and a read-only one is filled first
        List<Made> dirs = new ArrayList<>();
        Deque<Made> todo = new ArrayDeque<>();
        todo.push(new Made(from, to));
        while (!todo.isEmpty()) {
            Made d = todo.pop();
            dirs.add(d);
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d.from())) {
                ds.forEach(children::add);
            }
            for (Path c : children) {
                Path t = d.to().resolve(c.getFileName().toString());
                int m = Modes.lstat(c);
                switch (m & Modes.S_IFMT) {
                    case Modes.S_IFDIR -> {
                        Files.createDirectory(t);
                        todo.push(new Made(c, t));
                    }
                    case Modes.S_IFREG -> file(c, t);
                    case Modes.S_IFLNK -> symlink(c, t);
                    default -> throw new Unclonable(c + " is neither a file, a directory nor a symlink");
                }
            }
        }
        for (int i = dirs.size() - 1; i >= 0; i--) directoryMetadata(dirs.get(i).from(), dirs.get(i).to());
    }

    private void file(Path from, Path to) throws IOException {
        if (!linksRefused) {
            try {
                Files.createLink(to, from);
                return;
            } catch (FileSystemException e) {
                // as the applier tells a refusal (EACCES, EPERM) from other failures
                if (!(e instanceof AccessDeniedException) && e.getClass() != FileSystemException.class) throw e;
                linksRefused = true;
            }
        }
        Files.copy(from, to, NOFOLLOW, StandardCopyOption.COPY_ATTRIBUTES);
    }

    private void symlink(Path from, Path to) throws IOException {
        Files.createSymbolicLink(to, Files.readSymbolicLink(from));
        owner(from, to);
        FileTime t = Files.getLastModifiedTime(from, NOFOLLOW);
        Files.getFileAttributeView(to, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, t, null);
    }

    private void directoryMetadata(Path from, Path to) throws IOException {
        owner(from, to);
        UserDefinedFileAttributeView src = Files.getFileAttributeView(from, UserDefinedFileAttributeView.class, NOFOLLOW);
        List<String> names;
        try {
            names = src == null ? List.of() : src.list();
        } catch (IOException | UnsupportedOperationException e) {
            names = List.of(); // no user xattrs here: the applier recorded them instead
        }
        if (!names.isEmpty()) {
            UserDefinedFileAttributeView dst = Files.getFileAttributeView(to, UserDefinedFileAttributeView.class, NOFOLLOW);
            for (String n : names) {
                ByteBuffer b = ByteBuffer.allocate(src.size(n));
                src.read(n, b);
                b.flip();
                dst.write(n, b);
            }
        }
        Modes.set(to, Modes.lstat(from));
        FileTime t = Files.getLastModifiedTime(from, NOFOLLOW);
        Files.getFileAttributeView(to, BasicFileAttributeView.class).setTimes(t, t, null);
    }

    /** Privileged: the held entry's owner (chown before chmod, which it would clear setuid/setgid after). */
    private void owner(Path from, Path to) throws IOException {
        if (!privileged) return;
        for (String a : new String[]{"unix:uid", "unix:gid"}) {
            Object want = Files.getAttribute(from, a, NOFOLLOW);
            if (!want.equals(Files.getAttribute(to, a, NOFOLLOW))) Files.setAttribute(to, a, want, NOFOLLOW);
        }
    }

    // ---------------------------------------------------------------- the held snapshot's records

    /** {@code ownership.tsv} of a snapshot directory, in its order (empty when it has none). */
    static Map<String, ApplyResult.Ownership> ownership(Path snapshotDir) throws IOException {
        Map<String, ApplyResult.Ownership> out = new LinkedHashMap<>();
        for (String[] f : rows(snapshotDir.resolve("ownership.tsv"), 4)) {
            out.put(unescape(f[0]), new ApplyResult.Ownership(Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3], 8)));
        }
        return out;
    }

    /** {@code xattrs.tsv} of a snapshot directory (empty when it has none). */
    static Map<String, Map<String, byte[]>> xattrs(Path snapshotDir) throws IOException {
        Map<String, Map<String, byte[]>> out = new LinkedHashMap<>();
        for (String[] f : rows(snapshotDir.resolve("xattrs.tsv"), 3)) {
            out.computeIfAbsent(unescape(f[0]), k -> new LinkedHashMap<>()).put(unescape(f[1]), HexFormat.of().parseHex(f[2]));
        }
        return out;
    }

    private static List<String[]> rows(Path tsv, int fields) throws IOException {
        List<String[]> out = new ArrayList<>();
        if (!Files.exists(tsv)) return out;
        try (BufferedReader r = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
            for (String l; (l = r.readLine()) != null; ) {
                String[] f = l.split("\t", -1);
                if (f.length != fields) throw new Unclonable(tsv + ": a line of " + f.length + " fields");
                out.add(f);
            }
        }
        return out; // a number or hex field that does not parse throws: the caller applies every layer
    }

    /** The inverse of {@link FlatSnapshotter#escape}. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
