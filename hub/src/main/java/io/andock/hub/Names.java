package io.andock.hub;

import io.andock.image.Digest;

import java.util.regex.Pattern;

/** The distribution spec's grammar for repository names, tags and digests; nothing else reaches storage keys. */
public final class Names {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    public static final int MAX_NAME = 255;

    private Names() {}

    public static String repository(String name) {
        if (name == null || name.isEmpty()) throw OciError.nameInvalid("empty");
        if (name.length() > MAX_NAME) throw OciError.nameInvalid("longer than " + MAX_NAME + " characters");
        for (String c : name.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) throw OciError.nameInvalid(Printable.of(name));
        }
        return name;
    }

    public static boolean isTag(String s) {
        return s != null && TAG.matcher(s).matches();
    }

    public static String tag(String s) {
        if (!isTag(s)) throw new OciError(400, "TAG_INVALID", "invalid tag: " + Printable.of(s));
        return s;
    }

    public static Digest digest(String s) {
        try {
            return Digest.parse(s);
        } catch (RuntimeException e) {
            throw new OciError(400, "DIGEST_INVALID", "invalid digest: " + Printable.of(s));
        }
    }

    /** Quotes what came from outside for a message: at most 200 characters, control characters escaped. */
    public static final class Printable {
        private Printable() {}

        public static String of(String s) {
            return s == null ? "null" : "\"" + bare(s) + "\"";
        }

        /** The same without the quotes. */
        public static String bare(String s) {
            if (s == null) return "";
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length() && i < 200; i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
            if (s.length() > 200) b.append("…");
            return b.toString();
        }
    }
}
