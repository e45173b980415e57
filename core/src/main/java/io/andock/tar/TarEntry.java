package io.andock.tar;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One member of a tar archive, after GNU long names and PAX records have been merged in.
 *
 * @param name       the path as written in the archive, UTF-8 decoded, trailing {@code /} removed (may be absolute
 *                   or contain {@code ..}: not sanitized here)
 * @param linkName   target of a symlink or hardlink, {@code ""} otherwise
 * @param mode       permission bits including setuid/setgid/sticky ({@code 07777})
 * @param size       bytes of content (0 for everything but regular files)
 * @param xattrs     PAX {@code SCHILY.xattr.*} records, name without the prefix, value as raw bytes
 */
public record TarEntry(String name, Type type, String linkName, int mode, long uid, long gid, String uname,
                       String gname, long size, Instant mtime, int devMajor, int devMinor,
                       Map<String, byte[]> xattrs) {

    public enum Type { FILE, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO }

    public TarEntry {
        xattrs = xattrs.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(xattrs));
    }

    @Override
    public String toString() {
        return type + " " + name + (linkName.isEmpty() ? "" : " -> " + linkName);
    }
}
