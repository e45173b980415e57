package io.andock.container;

import io.andock.AndockException;

import java.util.regex.Pattern;

/**
 * The names and ids users give (CLI arguments, API paths, queries and bodies) that the stores turn into paths under
 * {@code <root>}: container ids and id prefixes, container names, volume names. The stores check them here
 * themselves, so no caller can hand one a {@code ../x}, {@code a/b}, {@code /abs}, {@code .}, {@code ..}, a NUL or
 * a 10 kB string. The patterns are Docker's; lengths are bounded by a file name's (255 bytes).
 */
public final class StoreNames {
    /** Longest name that is also a file name on every file system andock meets (NAME_MAX). */
    static final int MAX_NAME = 255;
    /** Docker's {@code restrictedNamePattern}: two characters at least, the first alphanumeric. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final String ALLOWED = "[a-zA-Z0-9][a-zA-Z0-9_.-]";
    /**
     * Network names: as names, spaces allowed after the first character (dockerd takes {@code "test 01"}). A name
     * is looked up in records and written in JSON, never a path, a bridge or a hosts-file entry.
     */
    private static final Pattern NETWORK_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9 _.-]+");

    private StoreNames() {}

    /** A full container (or exec, or anonymous volume) id: 64 lowercase hex digits. */
    public static boolean isId(String s) {
        return io.andock.image.Digest.isHex(s, 64, 64);
    }

    /** A container id prefix as {@code ps}, {@code rm} etc. accept: 1 to 64 lowercase hex digits. */
    public static boolean isIdPrefix(String s) {
        return io.andock.image.Digest.isHex(s, 1, 64);
    }

    /** A user network's name (see {@link #NETWORK_NAME}), at most 255 characters. */
    public static boolean isNetworkName(String s) {
        return s != null && s.length() <= MAX_NAME && NETWORK_NAME.matcher(s).matches();
    }

    /** A container name without its leading {@code /}, or a volume name. */
    public static boolean isName(String s) {
        return s != null && s.length() <= MAX_NAME && NAME.matcher(s).matches();
    }

    /** The id, else "No such container" (what Docker answers for any reference it does not know). */
    static String requireContainerId(String id) {
        if (!isId(id)) throw AndockException.notFound("No such container: " + printable(id));
        return id;
    }

    /** A new container's name with its leading {@code /} removed, else Docker's "Invalid container name". */
    public static String containerName(String name) {
        String n = name != null && name.startsWith("/") ? name.substring(1) : name;
        if (!isName(n)) {
            throw AndockException.invalid("Invalid container name (" + printable(name) + "), only " + ALLOWED + " are allowed");
        }
        return n;
    }

    /** A volume name to create, else Docker's refusal. */
    public static String volumeName(String name) {
        if (name != null && name.length() == 1 && NAME.matcher(name + "x").matches()) {
            throw AndockException.invalid("volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!isName(name)) {
            throw AndockException.invalid("create " + printable(name) + ": \"" + printable(name) + "\" includes invalid characters"
                    + " for a local volume name, only \"" + ALLOWED + "\" are allowed. If you intended to pass a host"
                    + " directory, use absolute path");
        }
        return name;
    }

    /** {@code s} fit for a one-line error: control characters (NUL, newline) shown as {@code ?}, cut at 80 chars. */
    public static String printable(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > 80) b.append("...");
        return b.toString();
    }
}
