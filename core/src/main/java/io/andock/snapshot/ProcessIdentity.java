package io.andock.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The effective uid/gid and umask of this process, read once from {@code /proc/self/status} (cheap, no process
 * start). Where that file cannot be read, uid/gid are -1 (unknown: treated as unprivileged) and umask 022.
 */
record ProcessIdentity(long uid, long gid, int umask) {
    static final ProcessIdentity CURRENT = read(Path.of("/proc/self/status"));

    boolean isRoot() {
        return uid == 0;
    }

    static ProcessIdentity read(Path status) {
        long uid = -1;
        long gid = -1;
        int umask = 022;
        try {
            for (String line : Files.readAllLines(status)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2) continue;
                switch (f[0]) {
                    case "Uid:" -> uid = Long.parseLong(f[Math.min(2, f.length - 1)]);
                    case "Gid:" -> gid = Long.parseLong(f[Math.min(2, f.length - 1)]);
                    case "Umask:" -> umask = Integer.parseInt(f[1], 8);
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: unprivileged defaults
        }
        return new ProcessIdentity(uid, gid, umask);
    }
}
