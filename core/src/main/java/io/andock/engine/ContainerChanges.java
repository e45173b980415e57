package io.andock.engine;

import io.andock.builder.TreeState;
import io.andock.builder.TreeState.Kind;
import io.andock.builder.TreeState.Node;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code docker diff}: what a container changed in its root filesystem, found by comparing the tree of its image's
 * snapshot with the container's tree (an overlay's merged view or a private copy alike, so every driver gives the
 * same answer). A file counts as changed when its type, mode, owner, size, modification time or device differ; a
 * directory when its type, mode or owner differ, or anything below it changed (as Docker's overlay driver reports
 * every directory of its upper layer). Under a deleted directory only the directory is reported. The mount points
 * a runtime makes ({@code excluded}, with everything below them) are left out, as Docker leaves out its init layer.
 * Paths have no leading slash here; sorted, parents before children.
 */
public final class ContainerChanges {
    /** Docker's change kinds, numbered as on the wire. */
    public enum Change { MODIFIED, ADDED, DELETED }

    private ContainerChanges() {}

    public static Map<String, Change> compute(TreeState image, TreeState container, Set<String> excluded) {
        Map<String, Node> before = image.nodes();
        Map<String, Node> after = container.nodes();
        Map<String, Change> out = new TreeMap<>();
        for (Map.Entry<String, Node> e : after.entrySet()) {
            String path = e.getKey();
            if (excluded(path, excluded)) continue;
            Node old = before.get(path);
            if (old == null) out.put(path, Change.ADDED);
            else if (!same(old, e.getValue())) out.put(path, Change.MODIFIED);
        }
        for (String path : before.keySet()) {
            if (after.containsKey(path) || excluded(path, excluded)) continue;
            String parent = parent(path);
            if (parent != null) {
                Node p = after.get(parent);
                if (p == null || p.kind() != Kind.DIRECTORY) continue; // its directory went (or became a file) too
            }
            out.put(path, Change.DELETED);
        }
        for (String path : new java.util.ArrayList<>(out.keySet())) {
            for (String p = parent(path); p != null && !out.containsKey(p); p = parent(p)) {
                if (after.containsKey(p) && before.containsKey(p)) out.put(p, Change.MODIFIED);
            }
        }
        return out;
    }

    /** The paths (image VOLUMEs, binds, the runtime's stubs) a diff and a commit leave out. */
    static boolean excluded(String path, Set<String> excluded) {
        for (String p = path; p != null; p = parent(p)) if (excluded.contains(p)) return true;
        return false;
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? null : path.substring(0, slash);
    }

    private static boolean same(Node a, Node b) {
        if (a.kind() != b.kind() || a.mode() != b.mode() || a.uid() != b.uid() || a.gid() != b.gid()) return false;
        if (a.kind() == Kind.DIRECTORY) return true;
        return a.size() == b.size() && a.mtimeNanos() == b.mtimeNanos() && a.rdev() == b.rdev();
    }
}
