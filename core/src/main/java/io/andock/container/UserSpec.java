package io.andock.container;

import io.andock.AndockException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A resolved {@code --user}: uid, gid, supplementary gids and home, looked up in the rootfs's own {@code /etc/passwd}
 * and {@code /etc/group} as Docker does (moby's {@code user.GetExecUser}): a numeric uid need not exist; a name must.
 */
public record UserSpec(long uid, long gid, List<Long> additionalGids, String home) {

    public UserSpec {
        additionalGids = List.copyOf(additionalGids);
    }

    public static UserSpec resolve(Path rootfs, String user) {
        String u = user == null || user.isEmpty() ? "0" : user;
        String userPart = u;
        String groupPart = null;
        int colon = u.indexOf(':');
        if (colon >= 0) {
            userPart = u.substring(0, colon);
            groupPart = u.substring(colon + 1);
        }
        List<String[]> passwd = table(RootPaths.readOrNull(rootfs, "/etc/passwd"));
        List<String[]> group = table(RootPaths.readOrNull(rootfs, "/etc/group"));
        long uid;
        long gid;
        String name = null;
        String home = "/";
        String[] entry = find(passwd, userPart);
        if (entry != null && entry.length >= 6) {
            uid = Long.parseLong(entry[2]);
            gid = parseOr(entry[3], 0);
            name = entry[0];
            home = entry[5].isEmpty() ? "/" : entry[5];
        } else if (isNumber(userPart)) {
            uid = Long.parseLong(userPart);
            gid = 0; // moby: an unknown numeric uid gets gid 0 unless one is given
            if (uid == 0) home = "/root";
        } else if (userPart.isEmpty()) {
            uid = 0;
            gid = 0;
        } else {
            throw AndockException.invalid("unable to find user " + userPart + ": no matching entries in passwd file");
        }
        if (groupPart != null && !groupPart.isEmpty()) {
            String[] g = find(group, groupPart);
            if (g != null && g.length >= 3) gid = Long.parseLong(g[2]);
            else if (isNumber(groupPart)) gid = Long.parseLong(groupPart);
            else throw AndockException.invalid("unable to find group " + groupPart + ": no matching entries in group file");
        }
        List<Long> extra = new ArrayList<>();
        if (name != null) {
            for (String[] g : group) {
                if (g.length < 4 || !isNumber(g[2])) continue;
                for (String member : g[3].split(",")) {
                    long id = Long.parseLong(g[2]);
                    if (member.equals(name) && id != gid && !extra.contains(id)) extra.add(id);
                }
            }
        }
        return new UserSpec(uid, gid, extra, home);
    }

    /**
     * With {@code --group-add}'s groups among the supplementary ones: a number as it is (it need not exist), a name
     * looked up in the rootfs's {@code /etc/group} (an unknown one is refused, as Docker does).
     */
    public UserSpec withGroups(Path rootfs, List<String> groupAdd) {
        if (groupAdd.isEmpty()) return this;
        List<String[]> group = table(RootPaths.readOrNull(rootfs, "/etc/group"));
        List<Long> gids = new ArrayList<>(additionalGids);
        for (String name : groupAdd) {
            String[] g = find(group, name);
            long id;
            if (g != null && g.length >= 3 && isNumber(g[2])) id = Long.parseLong(g[2]);
            else if (isNumber(name)) id = Long.parseLong(name);
            else throw AndockException.invalid("unable to find group " + name + ": no matching entries in group file");
            if (id > 0xFFFF_FFFEL) throw AndockException.invalid("invalid group " + name + ": out of range");
            if (!gids.contains(id)) gids.add(id);
        }
        return new UserSpec(uid, gid, gids, home);
    }

    private static String[] find(List<String[]> table, String key) {
        for (String[] e : table) {
            if (e.length >= 3 && e[0].equals(key)) return e;
        }
        if (isNumber(key)) {
            for (String[] e : table) {
                if (e.length >= 3 && e[2].equals(key)) return e;
            }
        }
        return null;
    }

    private static List<String[]> table(String text) {
        List<String[]> out = new ArrayList<>();
        if (text == null) return out;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split(":", -1);
            if (f.length >= 3 && isNumber(f[2])) out.add(f);
        }
        return out;
    }

    private static boolean isNumber(String s) {
        if (s == null || s.isEmpty() || s.length() > 10) return false;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }

    private static long parseOr(String s, long dflt) {
        return isNumber(s) ? Long.parseLong(s) : dflt;
    }
}
