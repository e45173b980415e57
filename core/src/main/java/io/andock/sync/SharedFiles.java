package io.andock.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One copy per content on the device: a file of a new snapshot whose content another snapshot already holds, with
 * the same mode, owner and mtime (so that no reader can tell), is replaced by a hard link to that one (a link under a
 * temporary name, then a rename over the file: the snapshot never lacks it). Snapshots are read-only once
 * published, and containers get an overlay or a copy of them, never the files themselves to write. Where the host
 * refuses {@code link()} (an app on Android) the first refusal ends it: the gain there is in bytes sent.
 */
public final class SharedFiles {
    public record Result(int linked, long bytes, boolean refused) {}

    private SharedFiles() {
    }

    /** Links the files of {@code fresh} (the new snapshot's list) to those of {@code held} where they are identical. */
    public static Result link(HeldFiles fresh, Path freshRoot, HeldFiles held) {
        int linked = 0;
        long bytes = 0;
        for (Map.Entry<String, Path> e : fresh.entries().entrySet()) {
            Path target = e.getValue();
            Path source = held.find(e.getKey()).orElse(null);
            if (source == null || source.startsWith(freshRoot)) continue;
            try {
                if (!sameAttributes(source, target)) continue;
                Path tmp = target.resolveSibling(".andock-link-" + UUID.randomUUID());
                try {
                    Files.createLink(tmp, source);
                } catch (IOException | UnsupportedOperationException | SecurityException refused) {
                    return new Result(linked, bytes, true);
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                linked++;
                bytes += Files.size(target);
            } catch (IOException skipped) {
                // a file that went away or cannot be read: it keeps its own copy
            }
        }
        return new Result(linked, bytes, false);
    }

    /** Two files (not one already: ino and dev differ) with the same mode, owner, size and mtime; one lstat each. */
    private static boolean sameAttributes(Path a, Path b) throws IOException {
        Map<String, Object> x = Files.readAttributes(a, "unix:mode,uid,gid,size,lastModifiedTime,ino,dev", LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> y = Files.readAttributes(b, "unix:mode,uid,gid,size,lastModifiedTime,ino,dev", LinkOption.NOFOLLOW_LINKS);
        if (Objects.equals(x.get("ino"), y.get("ino")) && Objects.equals(x.get("dev"), y.get("dev"))) return false;
        for (String k : new String[]{"mode", "uid", "gid", "size", "lastModifiedTime"}) {
            if (!Objects.equals(x.get(k), y.get(k))) return false;
        }
        return true;
    }
}
