package io.andock.engine;

import io.andock.AndockException;
import io.andock.tar.TarWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a file or directory tree as a tar ({@code docker cp}), in Java: nothing is followed, a symlink inside the
 * tree (even one to {@code /}) is written as a symlink, so reading a hostile container's tree never reads the
 * host's files. Names start with {@code name} (the top entry), hardlinked files become hardlink entries, sockets are
 * left out (as Go's archive/tar does). The caller keeps the tree still (pauses the container).
 */
public final class TreeTar {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final TarWriter tar;
    private final Map<String, String> inodes = new HashMap<>();

    private TreeTar(OutputStream out) {
        this.tar = new TarWriter(out);
    }

    /** Writes {@code top} (not followed when a symlink) and everything below it as {@code name}, then the end blocks. */
    public static void write(Path top, String name, OutputStream out) {
        try {
            TreeTar t = new TreeTar(out);
            t.add(top, name);
            t.tar.finish();
        } catch (IOException e) {
            throw AndockException.wrap("archive " + name, e);
        }
    }

    private void add(Path p, String name) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,ino,dev,nlink,rdev", NOFOLLOW);
        } catch (NoSuchFileException e) {
            return; // removed since its directory was listed (a container that cannot be paused: proot)
        }
        int mode = (Integer) a.get("mode");
        long uid = (Integer) a.get("uid"), gid = (Integer) a.get("gid");
        long mtime = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
        int perm = mode & 07777;
        switch (mode & 0170000) {
            case 0040000 -> {
                tar.add(TarWriter.Header.of(name, TarWriter.Type.DIRECTORY, perm, uid, gid, 0, mtime), null);
                List<Path> children = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    for (Path c : ds) children.add(c);
                } catch (NoSuchFileException e) {
                    return; // removed since it was stat'ed: written empty
                }
                children.sort(null);
                for (Path c : children) add(c, name.equals(".") ? c.getFileName().toString() : name + "/" + c.getFileName());
            }
            case 0120000 -> tar.add(new TarWriter.Header(name, TarWriter.Type.SYMLINK, perm, uid, gid, 0, mtime,
                    Files.readSymbolicLink(p).toString(), 0, 0), null);
            case 0100000 -> {
                String key = a.get("dev") + ":" + a.get("ino");
                String first = (Integer) a.get("nlink") > 1 ? inodes.putIfAbsent(key, name) : null;
                if (first != null) {
                    tar.add(new TarWriter.Header(name, TarWriter.Type.HARDLINK, perm, uid, gid, 0, mtime, first, 0, 0), null);
                    return;
                }
                long size = (Long) a.get("size");
                InputStream opened;
                try {
                    opened = Files.newInputStream(p, NOFOLLOW);
                } catch (NoSuchFileException e) {
                    return;
                }
                try (InputStream in = new ExactLength(opened, size)) {
                    tar.add(TarWriter.Header.of(name, TarWriter.Type.FILE, perm, uid, gid, size, mtime), in);
                }
            }
            case 0010000 -> tar.add(TarWriter.Header.of(name, TarWriter.Type.FIFO, perm, uid, gid, 0, mtime), null);
            case 0020000, 0060000 -> {
                long rdev = (Long) a.get("rdev");
                int major = (int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfff));
                int minor = (int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xff));
                TarWriter.Type t = (mode & 0170000) == 0020000 ? TarWriter.Type.CHAR_DEVICE : TarWriter.Type.BLOCK_DEVICE;
                tar.add(new TarWriter.Header(name, t, perm, uid, gid, 0, mtime, "", major, minor), null);
            }
            default -> { } // sockets
        }
    }

    /**
     * Exactly {@code size} bytes of a file that may change while it is read (a running container's): a file that
     * grew is cut at the size its header gave, one that shrank is padded with zeros (as GNU tar does), so the tar
     * stays well formed.
     */
    private static final class ExactLength extends java.io.FilterInputStream {
        private long left;

        ExactLength(InputStream in, long size) {
            super(in);
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int want = (int) Math.min(len, left);
            int n = in.read(b, off, want);
            if (n < 0) {
                java.util.Arrays.fill(b, off, off + want, (byte) 0);
                n = want;
            }
            left -= n;
            return n;
        }
    }
}
