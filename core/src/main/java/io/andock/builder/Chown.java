package io.andock.builder;

import io.andock.AndockException;
import io.andock.container.RootPaths;

import java.nio.file.Path;

/**
 * {@code --chown=user[:group]} as the classic builder reads it: each part a number or a name looked up in the
 * rootfs's own {@code /etc/passwd} / {@code /etc/group}; without {@code :group} the user part is used for the group
 * too ({@code --chown=1000} is 1000:1000, {@code --chown=app} needs a group named app).
 */
final class Chown {
    private Chown() {
    }

    /** {uid, gid}. */
    static long[] resolve(Path rootfs, String chown) {
        int colon = chown.indexOf(':');
        String user = colon < 0 ? chown : chown.substring(0, colon);
        String group = colon < 0 ? chown : chown.substring(colon + 1);
        return new long[]{id(rootfs, "/etc/passwd", user, "user"), id(rootfs, "/etc/group", group, "group")};
    }

    private static long id(Path rootfs, String file, String name, String what) {
        if (name.matches("[0-9]{1,10}")) return Long.parseLong(name);
        String text = RootPaths.readOrNull(rootfs, file);
        if (text != null) {
            for (String line : text.split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length >= 3 && f[0].equals(name) && f[2].matches("[0-9]{1,10}")) return Long.parseLong(f[2]);
            }
        }
        throw AndockException.invalid("unable to convert uid/gid chown string to host mapping: can't find "
                + ("user".equals(what) ? "uid for user " : "gid for group ") + name + ": no such " + what + ": " + name);
    }
}
