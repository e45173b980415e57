package io.andock.hub.storage;

import io.andock.AndockException;

import java.util.List;
import java.util.regex.Pattern;

/** The one rule for metadata keys, whatever stores them: '/'-separated segments of safe characters, no dot segments. */
final class Keys {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.:+=-]{1,255}");

    private Keys() {}

    /** The key's segments; INVALID_ARGUMENT for a key that could leave its store. */
    static List<String> segments(String key) {
        List<String> out = List.of(key.split("/", -1));
        for (String seg : out) {
            if (!SEGMENT.matcher(seg).matches() || seg.equals(".") || seg.equals("..")) {
                throw AndockException.invalid("invalid key " + key);
            }
        }
        return out;
    }

    /** A staged upload's id: letters, digits, dashes. */
    static String id(String id) {
        if (!id.matches("[A-Za-z0-9-]{1,100}")) throw AndockException.invalid("invalid upload id " + id);
        return id;
    }
}
