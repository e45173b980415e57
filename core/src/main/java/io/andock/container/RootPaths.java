package io.andock.container;

import io.andock.AndockException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside a container rootfs as the container would see it: symlinks are followed with the rootfs
 * as {@code /}, and {@code ..} never climbs above it (like Go's {@code securejoin}). Never asks the host to follow a
 * link, so an image's {@code /etc/passwd -> /host/secret} stays inside.
 */
public final class RootPaths {
    private static final int MAX_LINKS = 40;

    private RootPaths() {}

    /** The host path of {@code path} inside {@code root}; the last components need not exist. */
    public static Path resolve(Path root, String path) {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, path);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (!done.isEmpty()) done.removeLast();
                continue;
            }
            Path candidate = join(root, done).resolve(c);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) throw AndockException.invalid("too many levels of symbolic links: " + path);
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw AndockException.wrap("read link " + candidate, e);
                }
                if (target.startsWith("/")) done.clear();
                push(todo, target);
                continue;
            }
            done.addLast(c);
        }
        return join(root, done);
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) todo.push(parts[i]);
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String s : parts) p = p.resolve(s);
        return p;
    }

    /** Creates {@code path} (and parents) inside {@code root} as directories, resolving each step safely. */
    public static Path mkdirs(Path root, String path) {
        Path p = resolve(root, path);
        try {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Path parent = root;
                StringBuilder sofar = new StringBuilder();
                for (String c : path.split("/")) {
                    if (c.isEmpty()) continue;
                    sofar.append('/').append(c);
                    parent = resolve(root, sofar.toString());
                    if (!Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(parent);
                }
                p = parent;
            }
            return p;
        } catch (IOException e) {
            throw AndockException.wrap("mkdir " + path + " in rootfs", e);
        }
    }

    /** Reads a small text file inside the rootfs, or returns null when it does not exist. */
    public static String readOrNull(Path root, String path) {
        Path p = resolve(root, path);
        try {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return null;
            if (Files.size(p) > (4 << 20)) throw AndockException.invalid(path + " in the rootfs is too large");
            return Files.readString(p, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
