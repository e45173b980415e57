package io.andock.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container path as {@code docker cp} describes it ({@code X-Docker-Container-Path-Stat}).
 *
 * @param name       the last component of the path asked for ({@code .} for {@code dir/.}, {@code /} for the root)
 * @param mode       the Unix {@code st_mode} of the path itself (a final symlink not followed)
 * @param linkTarget for a symlink, where it leads, resolved within the container: an absolute container path
 */
public record PathStat(String name, long size, int mode, Instant mtime, String linkTarget) {
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFLNK = 0120000, S_IFREG = 0100000;

    public boolean isDir() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    public boolean isRegular() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** Go's {@code os.FileMode} bits, as Docker's stat header carries them. */
    public long goMode() {
        long m = mode & 0777;
        if (isDir()) m |= 1L << 31;
        if (isSymlink()) m |= 1L << 27;
        switch (mode & S_IFMT) {
            case 0060000 -> m |= 1L << 26;               // block device
            case 0020000 -> m |= (1L << 26) | (1L << 21); // char device
            case 0010000 -> m |= 1L << 25;               // fifo
            case 0140000 -> m |= 1L << 24;               // socket
            default -> { }
        }
        if ((mode & 04000) != 0) m |= 1L << 23;
        if ((mode & 02000) != 0) m |= 1L << 22;
        if ((mode & 01000) != 0) m |= 1L << 20;
        return m;
    }

    /** The JSON object of the stat header. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("size", size);
        m.put("mode", goMode());
        m.put("mtime", mtime.toString());
        m.put("linkTarget", linkTarget);
        return m;
    }
}
