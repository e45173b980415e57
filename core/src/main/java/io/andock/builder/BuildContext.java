package io.andock.builder;

import io.andock.AndockException;
import io.andock.dockerfile.ContextPaths;
import io.andock.dockerfile.DockerIgnore;
import io.andock.dockerfile.GoGlob;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The build context: a directory, seen through its {@code .dockerignore}. It resolves COPY/ADD sources and walks
 * directories; it never reads outside its root.
 *
 * <p>Source rules (classic builder): a source is a path relative to the context root (a leading {@code /} too);
 * one that cleans to a path above the root ({@code ../x}) is refused. A source with glob characters is matched
 * with Go's {@code filepath.Match} against every non-ignored path of the context, and must match something.
 * Symlinks along a source path are followed but kept inside the root, as if the root were {@code /} (a link to
 * {@code /etc} or {@code ../..} lands inside the context). Inside a directory being copied, symlinks are not
 * followed: they are copied as links. Ignored paths do not exist for the build.
 */
public final class BuildContext {

    public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    /** A context path: {@code path} is relative to the root, {@code /}-separated ({@code "."} for the root). */
    public record Entry(String path, Path file, Type type) {
        public String name() {
            int s = path.lastIndexOf('/');
            return s < 0 ? path : path.substring(s + 1);
        }
    }

    private static final int MAX_LINKS = 255;

    private final Path root;
    private final DockerIgnore ignore;

    private BuildContext(Path root, DockerIgnore ignore) {
        this.root = root.toAbsolutePath().normalize();
        this.ignore = ignore;
    }

    public static BuildContext of(Path root, DockerIgnore ignore) {
        return new BuildContext(root, ignore);
    }

    /** The context at {@code root}, with the rules of its {@code .dockerignore} if there is one. */
    public static BuildContext open(Path root) {
        Path f = root.resolve(".dockerignore");
        try {
            if (!Files.isRegularFile(f)) return new BuildContext(root, DockerIgnore.NONE);
            return new BuildContext(root, DockerIgnore.parse(Files.readString(f, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw AndockException.wrap("read " + f, e);
        }
    }

    public Path root() {
        return root;
    }

    public DockerIgnore ignore() {
        return ignore;
    }

    /** The entries a COPY/ADD source names: one for a plain path, every match for a glob. */
    public List<Entry> resolve(String source) {
        String rel = ContextPaths.clean(source);
        if (rel.startsWith("/")) rel = rel.length() == 1 ? "." : rel.substring(1);
        if (rel.equals("..") || rel.startsWith("../")) {
            throw AndockException.invalid("forbidden path outside the build context: " + source);
        }
        if (GoGlob.hasMeta(rel)) return glob(source, rel);
        Entry e = follow(rel);
        if (e == null || ignore.excludes(e.path())) {
            throw AndockException.notFound("file not found in build context or excluded by .dockerignore: " + source);
        }
        return List.of(e);
    }

    private List<Entry> glob(String source, String rel) {
        Pattern p = GoGlob.compile(rel, false);
        List<Entry> out = new ArrayList<>();
        for (Entry e : walk(new Entry(".", root, Type.DIRECTORY))) {
            if (p.matcher(e.path()).matches()) out.add(e);
        }
        if (out.isEmpty()) throw AndockException.notFound("no source files were specified (nothing matches " + source + ")");
        return out;
    }

    /** Resolves {@code rel} component by component, following symlinks within the root; null when absent. */
    private Entry follow(String rel) {
        List<String> todo = new ArrayList<>(rel.equals(".") ? List.of() : List.of(rel.split("/")));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.remove(0);
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (!done.isEmpty()) done.remove(done.size() - 1);
                continue;
            }
            Path p = root.resolve(String.join("/", done)).resolve(c);
            if (Files.isSymbolicLink(p)) {
                if (++links > MAX_LINKS) throw AndockException.invalid("too many levels of symbolic links: " + rel);
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    throw AndockException.wrap("read link " + p, e);
                }
                if (target.startsWith("/")) done.clear();
                List<String> next = new ArrayList<>(List.of(target.split("/")));
                next.addAll(todo);
                todo = next;
                continue;
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return null;
            done.add(c);
        }
        String path = done.isEmpty() ? "." : String.join("/", done);
        Path file = done.isEmpty() ? root : root.resolve(path);
        return new Entry(path, file, type(file));
    }

    /**
     * Everything below a directory entry, in path order, ignored paths left out, symlinks not followed; the
     * directory itself is not included. A file entry walks to nothing.
     */
    public List<Entry> walk(Entry dir) {
        if (dir.type() != Type.DIRECTORY) return List.of();
        List<Entry> out = new ArrayList<>();
        walkInto(dir.file(), dir.path(), out);
        return out;
    }

    private void walkInto(Path dir, String rel, List<Entry> out) {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw AndockException.wrap("read context directory " + dir, e);
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            String path = rel.equals(".") ? name : rel + "/" + name;
            Type t = type(child);
            boolean excluded = ignore.excludes(path);
            if (!excluded) out.add(new Entry(path, child, t));
            if (t == Type.DIRECTORY && (!excluded || ignore.hasExceptions())) walkInto(child, path, out);
        }
    }

    static Type type(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) return Type.SYMLINK;
            if (a.isDirectory()) return Type.DIRECTORY;
            if (a.isRegularFile()) return Type.FILE;
            return Type.OTHER;
        } catch (IOException e) {
            throw AndockException.wrap("stat " + p, e);
        }
    }
}
