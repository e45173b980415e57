package io.andock.snapshot;

import io.andock.host.ProcStatus;

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
            // three of some fifty lines, split by hand: every command reads this at start-up (a regex per line and a
            // reader cost ~4 ms, profiled)
            String text = new String(Files.readAllBytes(status), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (int at = 0; at < text.length(); ) {
                int end = text.indexOf('\n', at);
                if (end < 0) end = text.length();
                String line = text.substring(at, end);
                at = end + 1;
                if (line.startsWith("Uid:")) uid = Long.parseLong(ProcStatus.field(line, 2));
                else if (line.startsWith("Gid:")) gid = Long.parseLong(ProcStatus.field(line, 2));
                else if (line.startsWith("Umask:")) umask = Integer.parseInt(ProcStatus.field(line, 1), 8);
            }
        } catch (IOException | RuntimeException e) {
            // unknown: unprivileged defaults
        }
        return new ProcessIdentity(uid, gid, umask);
    }
}
