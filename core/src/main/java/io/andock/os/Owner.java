package io.andock.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which process made a half-made thing (a spooled upload, a build's scratch, a container being created), so that a
 * later start of the engine removes it only once that process is gone: {@code PID.STARTTIME}, the start time telling
 * a reused pid apart (see {@link ProcessTable#same}). A process that ends on its own cleans up after itself; this is
 * for the ones killed ({@code kill -9}, a crash, an OutOfMemoryError that cut the cleanup short).
 */
public final class Owner {
    private static final String SELF = ProcessHandle.current().pid() + "." + ProcessTable.startTime(ProcessHandle.current().pid());

    private Owner() {}

    /** This process, as a token for file names and owner files ({@code PID.STARTTIME}). */
    public static String self() {
        return SELF;
    }

    /** Whether the process a token names is gone (a token that is not one counts as gone). */
    public static boolean gone(String token) {
        String[] f = token.trim().split("\\.");
        try {
            return f.length != 2 || !ProcessTable.same(Long.parseLong(f[0]), Long.parseLong(f[1]), null);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Writes this process's token to {@code file}. */
    public static void write(Path file) throws IOException {
        // renamed into place: a sweeper of another process must never read it empty, half written
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        Files.writeString(tmp, SELF);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Whether what {@code ownerFile} describes is abandoned: its owner is gone, or (made before owners were
     * recorded, or killed before recording one) the file is missing and {@code dir} is older than {@code graceMillis}.
     */
    public static boolean abandoned(Path dir, Path ownerFile, long graceMillis) {
        try {
            String token = Files.readString(ownerFile);
            if (!token.isBlank()) return gone(token);
            // empty: written by an older version that did not rename it into place; judged by age below
            return Files.getLastModifiedTime(dir).toMillis() < System.currentTimeMillis() - graceMillis;
        } catch (IOException e) {
            try {
                return Files.getLastModifiedTime(dir).toMillis() < System.currentTimeMillis() - graceMillis;
            } catch (IOException gone) {
                return false; // removed meanwhile
            }
        }
    }
}
