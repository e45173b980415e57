package io.andock.driver.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * User namespace mappings for a container started without root: the caller's id is root inside, and the
 * caller's subordinate range from {@code /etc/subuid} / {@code /etc/subgid} maps ids 1..n — which only the
 * setuid helpers {@code newuidmap}/{@code newgidmap} may write (runc and crun call them when they are on PATH).
 * Without a range or a helper the container has a single id: chown to anything but root fails inside.
 */
public final class Rootless {

    /** Both maps of one container. */
    public record Mappings(List<IdMapping> uids, List<IdMapping> gids) {
        public Mappings {
            uids = List.copyOf(uids);
            gids = List.copyOf(gids);
        }
    }

    private Rootless() {}

    /** The mappings for the user running this JVM, from the files in /etc and the helpers on PATH. */
    public static Mappings forCurrentUser() {
        long uid = statusId("Uid:"), gid = statusId("Gid:");
        String user = System.getProperty("user.name");
        return new Mappings(
                mappings(uid, user, read(Path.of("/etc/subuid")), onPath("newuidmap")),
                mappings(gid, user, read(Path.of("/etc/subgid")), onPath("newgidmap")));
    }

    /**
     * {@code 0 → id (1)} and, when {@code helper} is available and {@code subidText} (the format of
     * /etc/subuid: {@code name-or-id:start:count} a line) has a range for {@code name} or {@code id},
     * {@code 1 → start (count)}. The first matching line wins, as in shadow-utils.
     */
    public static List<IdMapping> mappings(long id, String name, String subidText, boolean helper) {
        List<IdMapping> out = new ArrayList<>();
        out.add(new IdMapping(0, id, 1));
        if (!helper || subidText == null) return out;
        for (String line : subidText.split("\n")) {
            String[] f = line.strip().split(":");
            if (f.length != 3 || line.startsWith("#")) continue;
            if (!f[0].equals(name) && !f[0].equals(Long.toString(id))) continue;
            try {
                long start = Long.parseLong(f[1]), count = Long.parseLong(f[2]);
                if (count > 0) out.add(new IdMapping(1, start, count));
                break;
            } catch (NumberFormatException ignored) {
                // a malformed line is skipped, as newuidmap does
            }
        }
        return out;
    }

    /** The real uid (or gid with {@code "Gid:"}) of this process, from /proc/self/status. */
    static long statusId(String field) {
        for (String line : read(Path.of("/proc/self/status")).split("\n")) {
            if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
        }
        throw new io.andock.AndockException(io.andock.AndockException.Kind.UNAVAILABLE, "no " + field + " in /proc/self/status");
    }

    /** True when this process runs as root (uid 0) on the host. */
    public static boolean isRoot() {
        return statusId("Uid:") == 0;
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private static String read(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
