package io.andock.sync;

/**
 * One entry of a layer's tar as the file index lists it.
 *
 * @param path  the entry's name as written in the archive (PAX, GNU long name or ustar prefix/name), without a
 *              leading {@code ./}
 * @param type  the tar type flag ({@code '0'} a regular file, {@code '5'} a directory, …)
 * @param sha   the sha256 of its data (32 bytes) for a regular file, else null
 */
public record FileEntry(String path, char type, int mode, long uid, long gid, long size, byte[] sha) {
    public boolean regular() {
        return sha != null;
    }
}
