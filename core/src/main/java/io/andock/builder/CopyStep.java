package io.andock.builder;

import io.andock.AndockException;
import io.andock.dockerfile.GoGlob;
import io.andock.image.MediaTypes;
import io.andock.os.FileTrees;
import io.andock.os.HostTools;
import io.andock.container.RootPaths;
import io.andock.snapshot.ApplyOptions;
import io.andock.snapshot.Decompression;
import io.andock.snapshot.LayerApplier;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * COPY and ADD into a working root filesystem, with the classic builder's rules:
 * <ul>
 *   <li>A directory source copies its contents into {@code dest} (created as a directory). A file source lands at
 *       {@code dest/name} when {@code dest} was written with a trailing {@code /} or is an existing directory, else at
 *       {@code dest}.</li>
 *   <li>Paths in the rootfs are resolved as the container would ({@link RootPaths}): a symlink on the way stays inside;
 *       the last component is replaced, never written through.</li>
 *   <li>Owners: {@code --chown} (names looked up in the rootfs's own {@code /etc/passwd} and {@code /etc/group}; a
 *       missing group defaults to the user string, as Docker does), else 0:0 for context and URL sources and the
 *       source's owners for {@code --from}. Intermediate directories are made root-owned, 0755. Modes: {@code --chmod}
 *       for everything copied, else the source's; mtimes are kept.</li>
 *   <li>ADD: a local tar (plain, gzip or zstd) is extracted into {@code dest} with the safe {@link LayerApplier}; a URL
 *       is downloaded (mode 0600, mtime from {@code Last-Modified}).</li>
 * </ul>
 */
final class CopyStep {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** One thing to copy: {@code rel} below the destination directory ("" = the source itself). */
    private record Item(String rel, Path src, BuildContext.Type type) {
    }

    private final Step.Copy copy;
    private final Path rootfs;
    private final Path scratch;
    private final boolean root = HostTools.isRoot();
    private long uid;
    private long gid;
    private boolean preserveOwners;
    private final Deque<Path[]> dirTimes = new ArrayDeque<>();

    CopyStep(Step.Copy copy, Path rootfs, Path scratch) {
        this.copy = copy;
        this.rootfs = rootfs;
        this.scratch = scratch;
    }

    void run(BuildContext context, Path fromRootfs) throws IOException {
        if (copy.chown() != null) {
            long[] ids = Chown.resolve(rootfs, copy.chown());
            uid = ids[0];
            gid = ids[1];
        } else {
            preserveOwners = fromRootfs != null;
        }
        if (fromRootfs != null) {
            for (String p : copy.fromPaths()) fromRootfs(fromRootfs, p);
        } else {
            for (BuildContext.Entry e : copy.contextSources()) fromContext(context, e);
            for (String url : copy.urls()) fromUrl(url);
        }
        while (!dirTimes.isEmpty()) { // deepest last pushed: set after their children were written
            Path[] d = dirTimes.pop();
            Files.setLastModifiedTime(d[1], Files.getLastModifiedTime(d[0], NOFOLLOW));
        }
    }

    private void fromContext(BuildContext context, BuildContext.Entry e) throws IOException {
        if (e.type() == BuildContext.Type.DIRECTORY) {
            List<Item> items = new ArrayList<>();
            String prefix = e.path().equals(".") ? "" : e.path() + "/";
            for (BuildContext.Entry c : context.walk(e)) items.add(new Item(c.path().substring(prefix.length()), c.file(), c.type()));
            intoDirectory(e.file(), items);
        } else if (copy.add() && e.type() == BuildContext.Type.FILE && isArchive(e.file())) {
            extract(e.file());
        } else {
            single(e.name(), e.file(), e.type());
        }
    }

    private void fromRootfs(Path from, String path) throws IOException {
        List<Path> matches = new ArrayList<>();
        if (GoGlob.hasMeta(path)) {
            matches.addAll(glob(from, path));
            if (matches.isEmpty()) throw AndockException.notFound("--from: no source files were specified (nothing matches " + path + ")");
        } else {
            Path p = RootPaths.resolve(from, path);
            if (!Files.exists(p, NOFOLLOW)) throw AndockException.notFound("--from: " + path + ": no such file or directory");
            matches.add(p);
        }
        for (Path p : matches) {
            BuildContext.Type t = BuildContext.type(p);
            if (t == BuildContext.Type.DIRECTORY) {
                List<Item> items = new ArrayList<>();
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(c -> !c.equals(p)).sorted().forEach(c ->
                            items.add(new Item(p.relativize(c).toString(), c, BuildContext.type(c))));
                }
                intoDirectory(p, items);
            } else {
                single(p.getFileName() == null ? "" : p.getFileName().toString(), p, t);
            }
        }
    }

    /** Go's glob on a rootfs, component by component; symlinks between components stay inside the rootfs. */
    private static List<Path> glob(Path from, String pattern) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String s : pattern.split("/")) if (!s.isEmpty() && !s.equals(".")) parts.add(s);
        List<String> current = List.of("");
        for (String part : parts) {
            List<String> next = new ArrayList<>();
            for (String dir : current) {
                if (!GoGlob.hasMeta(part)) {
                    next.add(dir + "/" + part);
                    continue;
                }
                Path d = RootPaths.resolve(from, dir.isEmpty() ? "/" : dir);
                if (!Files.isDirectory(d, NOFOLLOW)) continue;
                Pattern p = GoGlob.compile(part, false);
                try (Stream<Path> s = Files.list(d)) {
                    s.map(c -> c.getFileName().toString()).filter(n -> p.matcher(n).matches()).sorted()
                            .forEach(n -> next.add(dir + "/" + n));
                }
            }
            current = next;
        }
        List<Path> out = new ArrayList<>();
        for (String c : current) {
            Path p = RootPaths.resolve(from, c);
            if (Files.exists(p, NOFOLLOW)) out.add(p);
        }
        return out;
    }

    /** A directory's contents into {@code dest}, which becomes a directory with the source's metadata if new. */
    private void intoDirectory(Path srcDir, List<Item> items) throws IOException {
        Path destDir = RootPaths.resolve(rootfs, copy.dest());
        if (Files.exists(destDir, NOFOLLOW) && !Files.isDirectory(destDir, NOFOLLOW)) {
            throw AndockException.invalid("cannot copy a directory to " + copy.dest() + ": not a directory");
        }
        if (!Files.exists(destDir, NOFOLLOW)) {
            RootPaths.mkdirs(rootfs, parent(copy.dest()));
            destDir = RootPaths.resolve(rootfs, copy.dest());
            Files.createDirectory(destDir);
            finish(srcDir, destDir, BuildContext.Type.DIRECTORY);
        }
        for (Item it : items) {
            String abs = copy.dest() + "/" + it.rel();
            // mkdirs: a path .dockerignore re-includes (!node_modules/keep) comes without its excluded parent
            place(srcDir, RootPaths.mkdirs(rootfs, parent(abs)).resolve(base(abs)), it);
        }
    }

    /** A file or symlink source: at {@code dest/name} or {@code dest}. */
    private void single(String name, Path src, BuildContext.Type type) throws IOException {
        String target = copy.dest();
        Path resolved = RootPaths.resolve(rootfs, target);
        if (copy.destIsDir() || Files.isDirectory(resolved, NOFOLLOW)) target = target + "/" + name;
        Path parentDir = RootPaths.mkdirs(rootfs, parent(target));
        place(null, parentDir.resolve(base(target)), new Item("", src, type));
    }

    private void place(Path srcRoot, Path t, Item it) throws IOException {
        boolean exists = Files.exists(t, NOFOLLOW);
        switch (it.type()) {
            case DIRECTORY -> {
                if (exists && !Files.isDirectory(t, NOFOLLOW)) FileTrees.deleteTree(t);
                if (!Files.isDirectory(t, NOFOLLOW)) Files.createDirectory(t);
                finish(it.src(), t, it.type());
            }
            case SYMLINK -> {
                if (exists) FileTrees.deleteTree(t);
                Files.createSymbolicLink(t, Files.readSymbolicLink(it.src()));
                owners(it.src(), t);
            }
            case FILE -> {
                if (Files.isDirectory(t, NOFOLLOW)) {
                    throw AndockException.invalid("cannot overwrite directory " + t.getFileName() + " with a file");
                }
                if (exists) Files.delete(t);
                Files.copy(it.src(), t, LinkOption.NOFOLLOW_LINKS);
                finish(it.src(), t, it.type());
            }
            default -> { } // devices, fifos, sockets: not copied
        }
    }

    /** Owner, mode and mtime of a new file or directory (a directory's mtime once its children are in). */
    private void finish(Path src, Path t, BuildContext.Type type) throws IOException {
        owners(src, t);
        int mode = copy.chmod() != null ? copy.chmod() : (Integer) Files.getAttribute(src, "unix:mode", NOFOLLOW) & 07777;
        Files.setAttribute(t, "unix:mode", mode); // after chown, which clears setuid bits
        if (type == BuildContext.Type.DIRECTORY) dirTimes.push(new Path[]{src, t});
        else Files.setLastModifiedTime(t, Files.getLastModifiedTime(src, NOFOLLOW));
    }

    private void owners(Path src, Path t) throws IOException {
        if (!root) return; // unprivileged: proot fakes root; owners cannot be set
        long u = preserveOwners ? ((Number) Files.getAttribute(src, "unix:uid", NOFOLLOW)).longValue() : uid;
        long g = preserveOwners ? ((Number) Files.getAttribute(src, "unix:gid", NOFOLLOW)).longValue() : gid;
        Files.setAttribute(t, "unix:uid", (int) u, NOFOLLOW);
        Files.setAttribute(t, "unix:gid", (int) g, NOFOLLOW);
    }

    // ---------------------------------------------------------------- ADD: archives and URLs

    /** A tar, possibly gzip or zstd compressed: "ustar" at offset 257 of the (decompressed) first block. */
    static boolean isArchive(Path f) {
        try (InputStream in = Decompression.open(Files.newInputStream(f, NOFOLLOW), MediaTypes.Compression.DETECT)) {
            byte[] b = in.readNBytes(512);
            return b.length == 512 && new String(b, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void extract(Path archive) throws IOException {
        Path dir = RootPaths.mkdirs(rootfs, copy.dest());
        try (InputStream in = Decompression.open(new BufferedInputStream(Files.newInputStream(archive, NOFOLLOW)),
                MediaTypes.Compression.DETECT)) {
            new LayerApplier(ApplyOptions.defaults()).apply(in, dir);
        }
    }

    private void fromUrl(String url) throws IOException {
        Path tmp = scratch.resolve("download-" + Math.abs(url.hashCode()));
        String lastModified = Download.get(url, tmp);
        try {
            String name = base(java.net.URI.create(url).getPath());
            if (name.isEmpty() && (copy.destIsDir() || copy.dest().endsWith("/"))) {
                throw AndockException.invalid("cannot determine filename from url: " + url);
            }
            String target = copy.destIsDir() || Files.isDirectory(RootPaths.resolve(rootfs, copy.dest()), NOFOLLOW)
                    ? copy.dest() + "/" + name : copy.dest();
            Path t = RootPaths.mkdirs(rootfs, parent(target)).resolve(base(target));
            if (Files.isDirectory(t, NOFOLLOW)) throw AndockException.invalid("cannot overwrite directory " + target);
            Files.deleteIfExists(t);
            Files.move(tmp, t, StandardCopyOption.REPLACE_EXISTING);
            owners(t, t);
            Files.setAttribute(t, "unix:mode", copy.chmod() != null ? copy.chmod() : 0600);
            if (lastModified != null) Files.setLastModifiedTime(t, FileTime.from(Download.parseHttpDate(lastModified)));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String parent(String abs) {
        int i = abs.lastIndexOf('/');
        return i <= 0 ? "/" : abs.substring(0, i);
    }

    static String base(String abs) {
        String s = abs.endsWith("/") && abs.length() > 1 ? abs.substring(0, abs.length() - 1) : abs;
        return s.substring(s.lastIndexOf('/') + 1);
    }
}
