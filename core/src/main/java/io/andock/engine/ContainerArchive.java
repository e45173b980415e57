package io.andock.engine;

import io.andock.AndockException;
import io.andock.container.ContainerFiles;
import io.andock.task.ContainerService;
import io.andock.task.FrozenContainer;
import io.andock.snapshot.ApplyOptions;
import io.andock.snapshot.ChrootPaths;
import io.andock.snapshot.LayerApplier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * {@code docker cp}, for the CLI and the API alike: stat, copy out (a tar of a container path) and copy in (a
 * client's tar extracted into a container directory), never reaching outside the container.
 *
 * <p>A path is taken as Docker does ({@code container.ResolvePath}): made absolute and cleaned lexically ({@code ..}
 * stops at {@code /}); then, inside the bind mount or volume that holds it (else the rootfs), resolved chroot-style by
 * {@link ChrootPaths}: every symlink on the way followed within that root. The last component is not followed (a
 * symlink there is copied as itself), except after a trailing {@code /} or {@code /.}. A path the rootfs's symlinks
 * lead into a mount is resolved again there (once). Resolution stays within the mount's source: a symlink in a volume
 * to {@code /etc} leads to the volume's {@code etc}, not the rootfs's (contained; Docker would cross over). Files
 * bound over the container's ({@code /etc/hostname}) are read and stat'ed as such; an archive extracted into their
 * directory replaces the file under the bind, not the bound one.
 *
 * <p>Copy-in goes through {@link LayerApplier#extract}, the layer applier's hardened rules. While either copy runs
 * the container is frozen ({@link FrozenContainer}): no process of it can swap a directory for a symlink meanwhile.
 */
final class ContainerArchive {
    /** A resolved container path: its host file, the root it was resolved in, and its mount (null: the rootfs). */
    private record Target(Path host, Path root, ContainerFiles.Mount mount, String clean, String name) {}

    private final ContainerService containers;
    private final ApplyOptions apply;

    ContainerArchive(ContainerService containers, ApplyOptions apply) {
        this.containers = containers;
        this.apply = apply;
    }

    PathStat stat(String ref, String path) {
        try (FrozenContainer f = containers.freeze(ref)) {
            ContainerFiles files = containers.files(ref);
            return stat(files, existing(files, path, ref, false), path, ref);
        }
    }

    /** Writes the tar of {@code path} ({@code followLink}: a final symlink followed, as {@code cp -L}) named {@code as}. */
    PathStat copyOut(String ref, String path, boolean followLink, String as, OutputStream out) {
        try (FrozenContainer f = containers.freeze(ref)) {
            ContainerFiles files = containers.files(ref);
            Target t = existing(files, path, ref, followLink);
            PathStat st = stat(files, t, path, ref);
            TreeTar.write(t.host(), as == null || as.isEmpty() ? t.name() : as, out);
            return st;
        }
    }

    /** Extracts {@code tar} into the directory {@code path} (a final symlink followed); owners 0:0 unless {@code keepOwners} (copyUIDGID). */
    void copyIn(String ref, String path, InputStream tar, boolean keepOwners) {
        try (FrozenContainer f = containers.freeze(ref)) {
            ContainerFiles files = containers.files(ref);
            Target t = existing(files, path, ref, true); // as Docker: a final symlink to a directory is extracted into
            if (!Files.isDirectory(t.host(), LinkOption.NOFOLLOW_LINKS)) {
                throw AndockException.invalid("extraction point is not a directory");
            }
            if (t.mount() != null && t.mount().readOnly()) throw AndockException.invalid("mounted volume is marked read-only");
            try {
                new LayerApplier(apply).extract(tar, t.root(), t.host(), keepOwners);
            } catch (AndockException e) {
                if (e.kind() != AndockException.Kind.CORRUPT) throw e.withContext("copy to " + path);
                throw new AndockException(AndockException.Kind.INVALID_ARGUMENT, "copy to " + path + ": " + e.getMessage(), e);
            }
        }
    }

    private Target existing(ContainerFiles files, String path, String ref, boolean followLink) {
        Target t = resolve(files, path, followLink);
        if (t == null || !Files.exists(t.host(), LinkOption.NOFOLLOW_LINKS)) {
            throw AndockException.notFound("Could not find the file " + path + " in container " + ref);
        }
        return t;
    }

    /** Resolves {@code path} as the class comment says; null when a directory on the way is missing. */
    static Target resolve(ContainerFiles files, String path, boolean followLink) {
        if (path == null || path.isEmpty()) throw AndockException.invalid("path is required");
        if (path.indexOf('\0') >= 0) throw AndockException.invalid("path contains a NUL byte");
        if (path.length() > 4096) throw AndockException.invalid("path is longer than 4096 characters");
        String clean = clean(path);
        boolean dotOrSlash = path.endsWith("/") || path.endsWith("/.") || path.equals(".");
        String name = path.endsWith("/.") || path.equals(".") ? "." : clean.equals("/") ? "." : clean.substring(clean.lastIndexOf('/') + 1);
        boolean follow = followLink || dotOrSlash;
        Target t = resolveIn(files, clean, name, follow);
        if (t != null && t.mount() == null) { // symlinks in the rootfs may lead into a mount: resolve it there
            String landed = ChrootPaths.inside(t.root(), t.host());
            if (!landed.equals(clean) && files.mountOf(landed) != null) t = resolveIn(files, landed, name, follow);
        }
        return t;
    }

    private static Target resolveIn(ContainerFiles files, String clean, String name, boolean follow) {
        ContainerFiles.Mount m = files.mountOf(clean);
        if (m != null && !Files.isDirectory(m.source())) { // a file bound over one of the container's (/etc/hostname)
            return clean.equals(m.target()) ? new Target(m.source(), m.source().getParent(), m, clean, name) : null;
        }
        Path root = real(m == null ? files.rootfs() : m.source());
        String rel = m == null ? clean : clean.substring(m.target().equals("/") ? 0 : m.target().length());
        Path host = ChrootPaths.locate(root, rel.isEmpty() ? "/" : rel, follow);
        return host == null ? null : new Target(host, root, m, clean, name);
    }

    /** Absolute, {@code .} and {@code ..} removed lexically ({@code ..} stops at {@code /}), as Go's filepath.Join. */
    static String clean(String path) {
        Deque<String> out = new ArrayDeque<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                out.pollLast();
                continue;
            }
            out.addLast(c);
        }
        return "/" + String.join("/", out);
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw AndockException.wrap("mount source " + p, e);
        }
    }

    private static PathStat stat(ContainerFiles files, Target t, String path, String ref) {
        try {
            Map<String, Object> a = Files.readAttributes(t.host(), "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            String link = "";
            if ((mode & 0170000) == 0120000) {
                Target to = resolve(files, t.clean(), true);
                link = to == null ? "" : inside(to);
            }
            return new PathStat(t.name(), (Long) a.get("size"), mode, ((FileTime) a.get("lastModifiedTime")).toInstant(), link);
        } catch (IOException e) {
            throw AndockException.wrap("stat " + path + " in container " + ref, e);
        }
    }

    /** The container path of a resolved host file. */
    private static String inside(Target t) {
        if (t.mount() != null && t.host().equals(t.mount().source())) return t.mount().target();
        String r = ChrootPaths.inside(t.root(), t.host());
        if (t.mount() == null || t.mount().target().equals("/")) return r;
        return r.equals("/") ? t.mount().target() : t.mount().target() + r;
    }
}
