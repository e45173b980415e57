package io.andock.snapshot;

import io.andock.AndockException;

import java.util.ArrayList;
import java.util.List;

/** Lexical handling of archive entry names: cleaning, validation and quoting for messages. */
final class EntryNames {
    /** Linux NAME_MAX, in bytes. */
    static final int NAME_MAX = 255;

    private EntryNames() {}

    /**
     * The components of an entry name relative to the rootfs: a leading {@code /} is dropped (absolute names are
     * clamped into the rootfs, as Docker does), {@code .} and empty components vanish, {@code ..} cancels the previous
     * component. A {@code ..} that would climb above the root is refused, as are NUL bytes and components longer than
     * NAME_MAX. The empty list is the root itself.
     */
    static List<String> clean(String name) {
        if (name.indexOf('\0') >= 0) throw refuse(name, "name contains a NUL byte");
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (out.isEmpty()) throw refuse(name, "path escapes the root with \"..\"");
                out.remove(out.size() - 1);
                continue;
            }
            if (utf8Length(c) > NAME_MAX) throw refuse(name, "a path component is longer than " + NAME_MAX + " bytes");
            out.add(c);
        }
        return out;
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) n++;
            else if (ch < 0x800) n += 2;
            else if (Character.isHighSurrogate(ch)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    static AndockException refuse(String name, String why) {
        return AndockException.corrupt("tar entry " + quote(name) + ": " + why);
    }

    /** The name in quotes for a message; control characters escaped, very long names shortened. */
    static String quote(String name) {
        StringBuilder sb = new StringBuilder("\"");
        int limit = 200;
        for (int i = 0; i < name.length() && i < limit; i++) {
            char ch = name.charAt(i);
            if (ch < 0x20 || ch == 0x7f) sb.append(String.format("\\x%02x", (int) ch));
            else if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
            else sb.append(ch);
        }
        if (name.length() > limit) sb.append("…\" (").append(utf8Length(name)).append(" bytes)");
        else sb.append('"');
        return sb.toString();
    }
}
