package io.andock.snapshot;

import io.andock.AndockException;
import io.andock.os.CommandRunner;
import io.andock.os.FileTrees;
import io.andock.snapshot.ApplyResult.Ownership;
import io.andock.snapshot.RootfsResolver.Dir;
import io.andock.tar.TarEntry;
import io.andock.tar.TarNames;
import io.andock.tar.TarReader;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipException;

/** One {@link LayerApplier#apply} call: the state of applying one layer onto one rootfs. */
final class ApplySession {
    static final int PATH_MAX = 4096;
    private static final int MAX_WARNINGS = 1000;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    /** mkfifo, mknod and touch finish at once; a hung one must not hang the unpack. */
    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(30);

    private interface IOCall<T> {
        T run() throws IOException;
    }

    private interface IOAction {
        void run() throws IOException;
    }

    private record DirMeta(Instant mtime, int deferredMode) {}

    private final Path root;
    private final int rootLength;
    private final ApplyOptions options;
    private final ProcessIdentity me;
    private final LayerApplier.Linker linker;
    private final RootfsResolver resolver;
    private final Placement placement;
    private final int fileDefaultMode;
    private final int dirDefaultMode;
    private final byte[] buffer = new byte[Decompression.BUFFER];

    /** Every path this layer created, for opaque directories ("keep this layer's entries"). */
    private final Set<Path> layerPaths = new HashSet<>();
    private final Map<Path, DirMeta> dirMeta = new LinkedHashMap<>();
    private final Map<Path, Integer> madeWritable = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Ownership> ownership = new LinkedHashMap<>();
    private final Map<String, Map<String, byte[]>> xattrsNotApplied = new LinkedHashMap<>();
    private long hardlinkCopies;
    private boolean linksRefused;
    private boolean userXattrsRefused;
    private DigestingStream stream;

    ApplySession(Path root, ApplyOptions options, ProcessIdentity me, LayerApplier.Linker linker) {
        this(root, options, me, linker, Placement.LAYER);
    }

    ApplySession(Path root, ApplyOptions options, ProcessIdentity me, LayerApplier.Linker linker, Placement placement) {
        this.placement = placement;
        this.root = root;
        this.rootLength = TarNames.utf8Length(root.toString());
        this.options = options;
        this.me = me;
        this.linker = linker;
        this.resolver = new RootfsResolver(root);
        this.fileDefaultMode = 0666 & ~me.umask();
        this.dirDefaultMode = 0777 & ~me.umask();
    }

    ApplyResult run(InputStream tar) throws IOException {
        stream = new DigestingStream(tar, options.maxBytes());
        TarReader reader = new TarReader(stream);
        long entries = 0;
        for (TarEntry e = reader.next(); e != null; e = reader.next()) {
            if (++entries > options.maxEntries()) {
                throw AndockException.corrupt("layer has more than " + options.maxEntries() + " entries");
            }
            try {
                apply(e, reader);
            } catch (ZipException | EOFException ex) {
                throw new AndockException(AndockException.Kind.CORRUPT,
                        "tar entry " + TarNames.quote(e.name()) + ": layer stream is corrupt: " + ex.getMessage(), ex);
            } catch (IOException ex) {
                throw AndockException.wrap("tar entry " + TarNames.quote(e.name()), ex);
            } catch (java.nio.file.InvalidPathException ex) {
                throw new AndockException(AndockException.Kind.UNSUPPORTED, "tar entry " + TarNames.quote(e.name())
                        + ": name not representable in this JVM's file name encoding ("
                        + System.getProperty("sun.jnu.encoding") + "); run java under a UTF-8 locale (LANG=C.UTF-8)", ex);
            }
        }
        stream.drain(buffer);
        finish();
        return new ApplyResult(stream.digest(), stream.count(), entries, warnings, hardlinkCopies, ownership,
                xattrsNotApplied);
    }

    private void apply(TarEntry e, TarReader reader) throws IOException {
        if (placement.plain()) {
            plain(e, reader);
            return;
        }
        List<String> comps = EntryNames.clean(e.name());
        int pathBytes = rootLength + 1 + TarNames.utf8Length(String.join("/", comps));
        if (pathBytes >= PATH_MAX) {
            throw EntryNames.refuse(e.name(), "path of " + pathBytes + " bytes (with the rootfs) exceeds PATH_MAX");
        }
        String last = comps.isEmpty() ? "" : comps.get(comps.size() - 1);
        if (last.startsWith(".wh.")) {
            whiteout(e, comps);
            return;
        }
        if (e.size() > stream.remainingAllowance()) {
            throw EntryNames.refuse(e.name(), "size " + e.size() + " exceeds the layer limit of "
                    + options.maxBytes() + " uncompressed bytes (decompression bomb?)");
        }
        if (comps.isEmpty()) {
            if (e.type() != TarEntry.Type.DIRECTORY) throw EntryNames.refuse(e.name(), "replaces the root directory");
            directoryMetadata(e, root, false, new Dir(root, 0, false));
            return;
        }
        Dir parent = resolver.resolveDir(comps.subList(0, comps.size() - 1), e.name(), this::mkdirImplicit);
        Path target = parent.path().resolve(last);
        layerPaths.add(target);
        switch (e.type()) {
            case DIRECTORY -> directory(e, comps, parent, target);
            case FILE -> file(e, reader.content(), parent, target);
            case SYMLINK -> symlink(e, parent, target);
            case HARDLINK -> hardlink(e, target);
            case FIFO, CHAR_DEVICE, BLOCK_DEVICE -> special(e, parent, target);
        }
    }

    /** An entry of a plain archive (see {@link Placement}): the same creation code as a layer's. */
    private void plain(TarEntry e, TarReader reader) throws IOException {
        List<String> rel = EntryNames.clean(e.name());
        if (!placement.keepOwners()) {
            e = new TarEntry(e.name(), e.type(), e.linkName(), e.mode(), 0, 0, "root", "root", e.size(), e.mtime(),
                    e.devMajor(), e.devMinor(), e.xattrs());
        }
        List<String> comps = placement.under(rel);
        int pathBytes = rootLength + 1 + TarNames.utf8Length(String.join("/", comps));
        if (pathBytes >= PATH_MAX) {
            throw EntryNames.refuse(e.name(), "path of " + pathBytes + " bytes (with the rootfs) exceeds PATH_MAX");
        }
        if (e.size() > stream.remainingAllowance()) {
            throw EntryNames.refuse(e.name(), "size " + e.size() + " exceeds the limit of " + options.maxBytes() + " bytes");
        }
        Dir parent = resolver.resolveDir(comps.subList(0, Math.max(0, comps.size() - 1)), e.name(), this::mkdirImplicit);
        if (rel.isEmpty()) {
            if (e.type() != TarEntry.Type.DIRECTORY) throw EntryNames.refuse(e.name(), "replaces the extraction directory");
            Dir self = resolver.resolveDir(comps, e.name(), null);
            if (self != null) directoryMetadata(e, self.path(), false, parent);
            return;
        }
        Path target = parent.path().resolve(comps.get(comps.size() - 1));
        int existing = Modes.lstat(target);
        boolean dir = e.type() == TarEntry.Type.DIRECTORY;
        if (existing >= 0 && Modes.isDir(existing) != dir) {
            throw EntryNames.refuse(e.name(), dir ? "cannot overwrite non-directory with directory"
                    : "cannot overwrite directory with non-directory");
        }
        switch (e.type()) {
            case DIRECTORY -> directory(e, comps, parent, target);
            case FILE -> file(e, reader.content(), parent, target);
            case SYMLINK -> symlink(e, parent, target);
            case HARDLINK -> hardlink(e, target);
            case FIFO, CHAR_DEVICE, BLOCK_DEVICE -> special(e, parent, target);
        }
    }

    // ---- entry types

    private void directory(TarEntry e, List<String> comps, Dir parent, Path target) throws IOException {
        boolean created = create(target, () -> {
            try {
                Files.createDirectory(target);
                return true;
            } catch (FileAlreadyExistsException ex) {
                if (Modes.isDir(Modes.lstat(target))) return false;
                throw ex;
            }
        });
        directoryMetadata(e, target, created, parent);
        resolver.remember(String.join("/", comps), new Dir(target, parent.depth() + 1, (e.mode() & 02000) != 0));
    }

    private void directoryMetadata(TarEntry e, Path dir, boolean created, Dir parent) throws IOException {
        boolean chowned = owner(e, dir, parent, !created);
        boolean defer = !options.privileged() && (e.mode() & 0700) != 0700;
        if (!defer && (chowned || !created || e.mode() != dirDefaultMode)) Modes.set(dir, e.mode());
        dirMeta.remove(dir);
        dirMeta.put(dir, new DirMeta(e.mtime(), defer ? e.mode() : -1));
        xattrs(e, dir, false);
    }

    private void file(TarEntry e, InputStream content, Dir parent, Path target) throws IOException {
        try (FileChannel ch = create(target, () -> FileChannel.open(target,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            long left = e.size();
            while (left > 0) {
                int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) throw AndockException.corrupt("archive is truncated");
                ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                while (bb.hasRemaining()) ch.write(bb);
                left -= n;
            }
        }
        boolean chowned = owner(e, target, parent, false);
        if (chowned || e.mode() != fileDefaultMode) Modes.set(target, e.mode());
        xattrs(e, target, false);
        times(target, e.mtime());
    }

    private void symlink(TarEntry e, Dir parent, Path target) throws IOException {
        String link = e.linkName();
        if (link.isEmpty()) throw EntryNames.refuse(e.name(), "symlink with an empty target");
        if (link.indexOf('\0') >= 0) throw EntryNames.refuse(e.name(), "symlink target contains a NUL byte");
        if (TarNames.utf8Length(link) >= PATH_MAX) throw EntryNames.refuse(e.name(), "symlink target exceeds PATH_MAX");
        create(target, () -> Files.createSymbolicLink(target, Path.of(link)));
        owner(e, target, parent, false);
        xattrs(e, target, true);
        symlinkTimes(target, e.mtime());
    }

    private void hardlink(TarEntry e, Path target) throws IOException {
        List<String> tc;
        try {
            tc = EntryNames.clean(e.linkName());
        } catch (AndockException ex) {
            throw EntryNames.refuse(e.name(), "hardlink target " + TarNames.quote(e.linkName()) + " escapes the root");
        }
        tc = placement.under(tc);
        if (tc.isEmpty()) throw EntryNames.refuse(e.name(), "hardlink to the root directory");
        Dir dir = resolver.resolveDir(tc.subList(0, tc.size() - 1), e.name(), null);
        Path existing = dir == null ? null : dir.path().resolve(tc.get(tc.size() - 1));
        int m = existing == null ? -1 : Modes.lstat(existing);
        if (m < 0) {
            throw EntryNames.refuse(e.name(), "hardlink target " + TarNames.quote(e.linkName())
                    + " does not exist in the rootfs");
        }
        if (Modes.isDir(m)) throw EntryNames.refuse(e.name(), "hardlink to a directory");
        if (existing.equals(target)) return;
        if (!linksRefused) {
            try {
                create(target, () -> {
                    linker.link(target, existing);
                    return null;
                });
                return;
            } catch (FileSystemException ex) {
                if (!(ex instanceof AccessDeniedException) && ex.getClass() != FileSystemException.class) throw ex;
                linksRefused = true;
                warn("the filesystem refused link() (" + (ex.getReason() == null ? "permission denied" : ex.getReason())
                        + "): hardlinks are written as copies");
            }
        }
        create(target, () -> Files.copy(existing, target, NOFOLLOW, StandardCopyOption.COPY_ATTRIBUTES));
        hardlinkCopies++;
    }

    private void special(TarEntry e, Dir parent, Path target) throws IOException {
        boolean fifo = e.type() == TarEntry.Type.FIFO;
        if (!fifo && !options.privileged()) {
            warn("skipped device node " + TarNames.quote(e.name()) + " (not privileged)");
            return;
        }
        if (Modes.lstat(target) >= 0) writable(parent.path(), () -> removeExisting(target));
        List<String> cmd = new ArrayList<>(List.of(fifo ? "mkfifo" : "mknod", "-m",
                Integer.toOctalString(e.mode() & 0777), target.toString()));
        if (!fifo) {
            cmd.addAll(List.of(e.type() == TarEntry.Type.CHAR_DEVICE ? "c" : "b",
                    Integer.toString(e.devMajor()), Integer.toString(e.devMinor())));
        }
        String failure = helper(cmd);
        if (failure != null) {
            warn("skipped " + (fifo ? "fifo " : "device node ") + TarNames.quote(e.name()) + " (" + failure + ")");
            return;
        }
        owner(e, target, parent, false);
        // setTimes would open() the node: a fifo blocks, a device may act; touch -h uses utimensat
        String touch = helper(List.of("touch", "-h", "-c", "-d", "@" + e.mtime().getEpochSecond(), target.toString()));
        if (touch != null) warn("mtime of " + TarNames.quote(e.name()) + " not set (" + touch + ")");
    }

    /** Runs mkfifo, mknod or touch; null on success, else a one-line reason. */
    private static String helper(List<String> cmd) {
        CommandRunner.Result r = CommandRunner.system().run(cmd, HELPER_TIMEOUT);
        return r.ok() ? null : r.describe();
    }

    // ---- whiteouts

    private void whiteout(TarEntry e, List<String> comps) throws IOException {
        String hidden = comps.get(comps.size() - 1).substring(4);
        List<String> dirComps = comps.subList(0, comps.size() - 1);
        if (hidden.equals(".wh..opq")) {
            Dir dir = resolver.resolveDir(dirComps, e.name(), this::mkdirImplicit);
            layerPaths.add(dir.path());
            clearLower(dir.path());
            return;
        }
        if (hidden.startsWith(".wh.")) {
            warn("ignored whiteout metadata entry " + TarNames.quote(e.name()));
            return;
        }
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw EntryNames.refuse(e.name(), "invalid whiteout (names \"" + hidden + "\")");
        }
        Dir dir = resolver.resolveDir(dirComps, e.name(), null);
        if (dir == null) return;
        Path victim = dir.path().resolve(hidden);
        if (Modes.lstat(victim) >= 0) writable(dir.path(), () -> removeExisting(victim));
        ownership.remove(rel(victim));
    }

    /** Opaque directory: removes what lower layers put under {@code dir}, keeps what this layer wrote. */
    private void clearLower(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        writable(dir, () -> {
            children.clear();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path c : ds) children.add(dir.resolve(c.getFileName()));
            }
        });
        for (Path c : children) {
            if (!layerPaths.contains(c)) writable(dir, () -> removeExisting(c));
            else if (Modes.isDir(Modes.lstat(c))) clearLower(c);
        }
    }

    // ---- helpers

    /** Runs a create call; replaces whatever exists at {@code target}; makes a read-only parent writable. */
    private <T> T create(Path target, IOCall<T> call) throws IOException {
        Path parent = target.getParent();
        try {
            return writable(parent, call);
        } catch (FileAlreadyExistsException ex) {
            writable(parent, () -> removeExisting(target));
            return writable(parent, call);
        }
    }

    private void removeExisting(Path p) throws IOException {
        int m = Modes.lstat(p);
        if (m < 0) return;
        if (Modes.isDir(m)) {
            FileTrees.deleteTree(p);
        } else {
            Files.delete(p);
        }
        if (Modes.isDir(m) || Modes.isSymlink(m)) resolver.invalidate();
    }

    private void writable(Path dir, IOAction action) throws IOException {
        writable(dir, () -> {
            action.run();
            return null;
        });
    }

    /** Unprivileged: a lower layer's read-only directory gets u+rwx until the end of the layer. */
    private <T> T writable(Path dir, IOCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (AccessDeniedException ex) {
            if (options.privileged() || dir == null || !dir.startsWith(root)) throw ex;
            int m = Modes.lstat(dir);
            if (m < 0 || !Modes.isDir(m) || (m & 0700) == 0700) throw ex;
            madeWritable.putIfAbsent(dir, m & 07777);
            Modes.set(dir, (m & 07777) | 0700);
            return call.run();
        }
    }

    private void mkdirImplicit(Path dir, Path parent) throws IOException {
        writable(parent, () -> Files.createDirectory(dir));
        if (dirDefaultMode != 0755) Modes.set(dir, 0755);
        layerPaths.add(dir);
        if (!options.privileged()) ownership.put(rel(dir), new Ownership(0, 0, 0755));
    }

    /**
     * Sets (privileged) or records (unprivileged) the entry's owner. A fresh file already belongs to this process
     * (group: the parent's when it is setgid), so chown is skipped when that is right.
     *
     * @return whether chown ran (it clears setuid/setgid: mode must be set after)
     */
    private boolean owner(TarEntry e, Path p, Dir parent, boolean unknownOwner) throws IOException {
        if (!options.privileged()) {
            ownership.put(rel(p), new Ownership(e.uid(), e.gid(), e.mode()));
            return false;
        }
        boolean uid = unknownOwner || e.uid() != me.uid();
        boolean gid = unknownOwner || e.gid() != me.gid() || parent.setgid();
        if (uid) Files.setAttribute(p, "unix:uid", (int) e.uid(), NOFOLLOW);
        if (gid) Files.setAttribute(p, "unix:gid", (int) e.gid(), NOFOLLOW);
        return uid || gid;
    }

    private void xattrs(TarEntry e, Path p, boolean symlink) {
        for (var x : e.xattrs().entrySet()) {
            String name = x.getKey();
            if (name.startsWith("user.") && !symlink && !userXattrsRefused) {
                try {
                    Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW)
                            .write(name.substring(5), ByteBuffer.wrap(x.getValue()));
                    continue;
                } catch (IOException | UnsupportedOperationException ex) {
                    userXattrsRefused = true;
                    warn("user xattrs are not supported here (" + ex.getMessage() + "): recorded instead");
                }
            }
            xattrsNotApplied.computeIfAbsent(rel(p), k -> new LinkedHashMap<>()).put(name, x.getValue());
        }
    }

    /** Times of a regular file or directory (the JDK opens it and calls futimens: fine for these two types). */
    private static void times(Path p, Instant mtime) throws IOException {
        FileTime t = FileTime.from(mtime);
        Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(t, t, null);
    }

    /** Times of the symlink itself: with NOFOLLOW_LINKS the JDK uses lutimes. */
    private static void symlinkTimes(Path p, Instant mtime) throws IOException {
        FileTime t = FileTime.from(mtime);
        Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, t, null);
    }

    /** Restores read-only modes and directory mtimes, which adding children changed. */
    private void finish() throws IOException {
        for (var w : madeWritable.entrySet()) {
            try {
                Modes.set(w.getKey(), w.getValue());
            } catch (NoSuchFileException ignored) {
                // removed later in the layer
            }
        }
        for (var d : dirMeta.entrySet()) {
            try {
                if (d.getValue().deferredMode() >= 0) Modes.set(d.getKey(), d.getValue().deferredMode());
                times(d.getKey(), d.getValue().mtime());
            } catch (NoSuchFileException ignored) {
                // removed later in the layer
            }
        }
    }

    private String rel(Path p) {
        String r = root.relativize(p).toString();
        return r.isEmpty() ? "." : r;
    }

    private void warn(String w) {
        if (warnings.size() < MAX_WARNINGS) warnings.add(w);
        else if (warnings.size() == MAX_WARNINGS) warnings.add("… more warnings omitted");
    }
}
