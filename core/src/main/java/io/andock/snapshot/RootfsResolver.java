package io.andock.snapshot;

import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves directory paths inside a rootfs the way a process chrooted into it would see them: every symlink met on
 * the way, absolute or relative, is followed within the rootfs, and {@code ..} stops at the root (Go's securejoin,
 * containerd's apply). The result is always a real directory under the root, reached without any symlink, so writing
 * below it cannot leave the rootfs (nothing else writes into the tree while a layer is applied).
 *
 * <p>Resolved directories are cached by the literal prefix; the cache must be {@link #invalidate() invalidated}
 * whenever a directory or symlink is removed or replaced.
 */
final class RootfsResolver {
    /** Linux MAXSYMLINKS. */
    private static final int MAX_LINKS = 40;

    /** A real directory under the root: its host path, depth below the root, and whether it is setgid. */
    record Dir(Path path, int depth, boolean setgid) {}

    /** Creates a missing directory (the applier's hook: mode, bookkeeping, read-only parents). */
    interface Mkdir {
        void mkdir(Path dir, Path parent) throws IOException;
    }

    private final Path root;
    private final Map<String, Dir> cache = new HashMap<>();

    RootfsResolver(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    void invalidate() {
        cache.clear();
    }

    /** Records a directory the applier created or verified at the literal path {@code key}. */
    void remember(String key, Dir dir) {
        cache.put(key, dir);
    }

    /**
     * The directory named by {@code comps} (already lexically clean). Missing components are created with
     * {@code mkdir} when it is not null; otherwise a missing component gives {@code null}.
     *
     * @throws AndockException CORRUPT (naming {@code entry}) for a non-directory on the way or a symlink loop
     */
    Dir resolveDir(List<String> comps, String entry, Mkdir mkdir) throws IOException {
        return resolveDir(comps, entry, mkdir, false);
    }

    /**
     * The host path of {@code comps} (raw components: {@code .} and {@code ..} are resolved physically, as the kernel
     * does) for a lookup: the parent directory resolved as above, the last component followed when it is a symlink
     * and {@code followLast} (within the rootfs, again and again). Null when a component on the way is missing or
     * not a directory; the last component itself need not exist.
     */
    Path locate(List<String> comps, String entry, boolean followLast) throws IOException {
        List<String> cur = comps;
        int links = 0;
        while (true) {
            String last = cur.isEmpty() ? "" : cur.get(cur.size() - 1);
            if (last.isEmpty() || last.equals(".") || last.equals("..")) {
                Dir d = resolveDir(cur, entry, null, true);
                return d == null ? null : d.path();
            }
            Dir parent = resolveDir(cur.subList(0, cur.size() - 1), entry, null, true);
            if (parent == null) return null;
            Path p = parent.path().resolve(last);
            int m = Modes.lstat(p);
            if (!followLast || m < 0 || !Modes.isSymlink(m)) return p;
            if (++links > MAX_LINKS) throw EntryNames.refuse(entry, "too many levels of symbolic links");
            String target = Files.readSymbolicLink(p).toString();
            List<String> next = new java.util.ArrayList<>();
            if (!target.startsWith("/")) {
                for (Path c : root.relativize(parent.path())) if (!c.toString().isEmpty()) next.add(c.toString());
            }
            next.addAll(List.of(target.split("/")));
            cur = next;
        }
    }

    private Dir resolveDir(List<String> comps, String entry, Mkdir mkdir, boolean lookup) throws IOException {
        String key = String.join("/", comps);
        Dir hit = cache.get(key);
        if (hit != null) return hit;
        Dir cur = new Dir(root, 0, false);
        int links = 0;
        StringBuilder prefix = new StringBuilder();
        for (String comp : comps) {
            Deque<String> todo = new ArrayDeque<>();
            todo.push(comp);
            if (prefix.length() > 0) prefix.append('/');
            prefix.append(comp);
            Dir cached = cache.get(prefix.toString());
            if (cached != null) {
                cur = cached;
                continue;
            }
            while (!todo.isEmpty()) {
                String c = todo.pop();
                if (c.isEmpty() || c.equals(".")) continue;
                if (c.equals("..")) {
                    if (cur.depth > 0) cur = new Dir(cur.path.getParent(), cur.depth - 1, false);
                    continue;
                }
                Path next = cur.path.resolve(c);
                int m = Modes.lstat(next);
                if (m < 0) {
                    if (mkdir == null) return null;
                    mkdir.mkdir(next, cur.path);
                    cur = new Dir(next, cur.depth + 1, cur.setgid);
                } else if (Modes.isSymlink(m)) {
                    if (++links > MAX_LINKS) throw EntryNames.refuse(entry, "too many levels of symbolic links");
                    String target = Files.readSymbolicLink(next).toString();
                    if (target.startsWith("/")) cur = new Dir(root, 0, false);
                    String[] parts = target.split("/");
                    for (int i = parts.length - 1; i >= 0; i--) todo.push(parts[i]);
                } else if (Modes.isDir(m)) {
                    cur = new Dir(next, cur.depth + 1, (m & 02000) != 0);
                } else {
                    if (lookup) return null;
                    throw EntryNames.refuse(entry, "\"" + root.relativize(next) + "\" is not a directory");
                }
            }
            cache.put(prefix.toString(), cur);
        }
        return cur;
    }
}
