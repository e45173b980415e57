package io.andock.builder;

import io.andock.AndockException;
import io.andock.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;

/**
 * The content checksum of COPY/ADD context sources, in the spirit of Docker's tarsum: for every file the copy
 * would write, in order, its name as it will appear under the destination, its type, permission bits (after
 * {@code --chmod}), owner (the {@code --chown} text, {@code 0:0} by default), link target, size and content digest.
 * Modification and access times are left out, so touching a file does not change the checksum; changing a byte,
 * a mode bit, a name or the owner does.
 */
public final class SourceChecksum {
    private SourceChecksum() {
    }

    /** Computes the checksum of {@code sources} (top-level entries from {@link BuildContext#resolve}). */
    public static Digest of(BuildContext ctx, List<BuildContext.Entry> sources, String chown, Integer chmod) {
        MessageDigest md = Digest.sha256Digester();
        String owner = chown == null ? "0:0" : chown;
        for (BuildContext.Entry src : sources) {
            line(md, "source " + src.name());
            if (src.type() == BuildContext.Type.DIRECTORY) {
                String prefix = src.path().equals(".") ? "" : src.path() + "/";
                for (BuildContext.Entry e : ctx.walk(src)) {
                    entry(md, e, e.path().substring(prefix.length()), owner, chmod);
                }
            } else {
                entry(md, src, src.name(), owner, chmod);
            }
        }
        return Digest.of("sha256", md);
    }

    private static void entry(MessageDigest md, BuildContext.Entry e, String name, String owner, Integer chmod) {
        try {
            StringBuilder h = new StringBuilder();
            h.append("name=").append(name).append(" type=").append(e.type());
            int mode = chmod != null && e.type() != BuildContext.Type.SYMLINK ? chmod : mode(e);
            h.append(" mode=").append(Integer.toOctalString(mode)).append(" owner=").append(owner);
            switch (e.type()) {
                case SYMLINK -> h.append(" link=").append(Files.readSymbolicLink(e.file()));
                case FILE -> h.append(" size=").append(Files.size(e.file())).append(" content=").append(content(e));
                default -> { }
            }
            line(md, h.toString());
        } catch (IOException ex) {
            throw AndockException.wrap("checksum " + e.path(), ex);
        }
    }

    private static void line(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
    }

    private static String content(BuildContext.Entry e) throws IOException {
        MessageDigest md = Digest.sha256Digester();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(e.file(), LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return Digest.of("sha256", md).hex();
    }

    /** Permission bits including setuid/setgid/sticky where the platform tells them. */
    static int mode(BuildContext.Entry e) throws IOException {
        if (e.type() == BuildContext.Type.SYMLINK) return 0777;
        try {
            Object m = Files.getAttribute(e.file(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (m instanceof Integer i) return i & 07777;
        } catch (UnsupportedOperationException | IllegalArgumentException ignored) {
            // fall back to the POSIX view below
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(e.file(), LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission x : p) mode |= 1 << (8 - x.ordinal());
        return mode;
    }
}
