package io.andock.builder;

import io.andock.builder.TreeState.Kind;
import io.andock.builder.TreeState.Node;
import io.andock.tar.TarWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The filesystem diff of a step as an OCI layer tar: everything added or changed between two {@link TreeState}s of
 * one tree, with the ancestors of each change (so the layer recreates their modes wherever it is applied), and an
 * OCI whiteout ({@code dir/.wh.name}) for every path that disappeared whose parent directory is still there (a
 * deleted directory's children need no whiteouts of their own). Entries are in path order, a directory before its
 * children. Hardlinked files are written once and linked for the other names in the layer. Sockets are left out,
 * as Docker does; extended attributes are not carried.
 *
 * <p>Owners: with {@code fakeRoot} (an unprivileged build, where proot fakes root) files owned by this process are
 * written as owned by 0:0; otherwise the real owners are written.
 */
public final class LayerDiff {
    private final boolean fakeRoot;
    private final long hostUid;
    private final long hostGid;

    public LayerDiff(boolean fakeRoot, long hostUid, long hostGid) {
        this.fakeRoot = fakeRoot;
        this.hostUid = hostUid;
        this.hostGid = hostGid;
    }

    /** The paths to write (value true) or white out (value false), in tar order. Empty: nothing changed. */
    public static Map<String, Boolean> changes(TreeState before, TreeState after) {
        Map<String, Boolean> out = new TreeMap<>();
        Map<String, Node> a = after.nodes();
        Map<String, Node> b = before.nodes();
        for (Map.Entry<String, Node> e : a.entrySet()) {
            Node old = b.get(e.getKey());
            if (old == null || !old.sameAs(e.getValue())) addWithParents(out, e.getKey(), a);
        }
        for (String gone : b.keySet()) {
            if (a.containsKey(gone)) continue;
            int slash = gone.lastIndexOf('/');
            String parent = slash < 0 ? "" : gone.substring(0, slash);
            if (!parent.isEmpty()) {
                Node p = a.get(parent);
                if (p == null || p.kind() != Kind.DIRECTORY) continue; // the parent went (or changed type) too
                addWithParents(out, parent, a);
            }
            out.put((parent.isEmpty() ? "" : parent + "/") + ".wh." + gone.substring(slash + 1), false);
        }
        return out;
    }

    private static void addWithParents(Map<String, Boolean> out, String path, Map<String, Node> after) {
        out.put(path, true);
        for (int i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
            String parent = path.substring(0, i);
            if (out.containsKey(parent)) break;
            if (after.containsKey(parent)) out.put(parent, true);
        }
    }

    /** Writes the layer for {@code changes} of {@code root} (now in state {@code after}); returns the entry count. */
    public int write(Map<String, Boolean> changes, TreeState after, Path root, TarWriter tar) throws IOException {
        Map<String, String> firstNameOfInode = new HashMap<>();
        int count = 0;
        for (Map.Entry<String, Boolean> c : changes.entrySet()) {
            String path = c.getKey();
            if (!c.getValue()) {
                tar.add(TarWriter.Header.of(path, TarWriter.Type.FILE, 0, 0, 0, 0, 0), null);
                count++;
                continue;
            }
            Node n = after.nodes().get(path);
            if (n == null || n.kind() == Kind.SOCKET) continue;
            Path file = root.resolve(path);
            long uid = owner(n.uid(), hostUid);
            long gid = owner(n.gid(), hostGid);
            long mtime = Math.floorDiv(n.mtimeNanos(), 1_000_000_000L);
            TarWriter.Header h;
            switch (n.kind()) {
                case DIRECTORY -> h = TarWriter.Header.of(path, TarWriter.Type.DIRECTORY, n.mode(), uid, gid, 0, mtime);
                case SYMLINK -> h = new TarWriter.Header(path, TarWriter.Type.SYMLINK, 0777, uid, gid, 0, mtime,
                        Files.readSymbolicLink(file).toString(), 0, 0);
                case FIFO -> h = TarWriter.Header.of(path, TarWriter.Type.FIFO, n.mode(), uid, gid, 0, mtime);
                case CHAR_DEVICE, BLOCK_DEVICE -> h = new TarWriter.Header(path,
                        n.kind() == Kind.CHAR_DEVICE ? TarWriter.Type.CHAR_DEVICE : TarWriter.Type.BLOCK_DEVICE,
                        n.mode(), uid, gid, 0, mtime, "", major(n.rdev()), minor(n.rdev()));
                default -> {
                    String inode = n.dev() + ":" + n.ino();
                    String first = n.nlink() > 1 ? firstNameOfInode.putIfAbsent(inode, path) : null;
                    if (first != null) {
                        h = new TarWriter.Header(path, TarWriter.Type.HARDLINK, n.mode(), uid, gid, 0, mtime, first, 0, 0);
                    } else {
                        h = TarWriter.Header.of(path, TarWriter.Type.FILE, n.mode(), uid, gid, n.size(), mtime);
                        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                            tar.add(h, in);
                        }
                        count++;
                        continue;
                    }
                }
            }
            tar.add(h, null);
            count++;
        }
        return count;
    }

    private long owner(long id, long host) {
        return fakeRoot && id == host ? 0 : id;
    }

    static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    }

    static int minor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    }

    /** For tests and messages: the changed paths, whiteouts as {@code -path}. */
    public static List<String> describe(Map<String, Boolean> changes) {
        List<String> out = new ArrayList<>();
        changes.forEach((p, add) -> out.add(add ? p : "-" + p));
        return out;
    }
}
