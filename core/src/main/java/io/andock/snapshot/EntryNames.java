package io.andock.snapshot;

import io.andock.AndockException;
import io.andock.tar.TarNames;

import java.util.ArrayList;
import java.util.List;

/** Lexical handling of archive entry names for layer application: cleaning and validation (quoting: {@link TarNames}). */
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
            if (TarNames.utf8Length(c) > NAME_MAX) throw refuse(name, "a path component is longer than " + NAME_MAX + " bytes");
            out.add(c);
        }
        return out;
    }

    static AndockException refuse(String name, String why) {
        return AndockException.corrupt("tar entry " + TarNames.quote(name) + ": " + why);
    }
}
