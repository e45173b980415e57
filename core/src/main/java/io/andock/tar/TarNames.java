package io.andock.tar;

/** Archive entry names in messages: quoted, control characters escaped, very long names shortened. */
public final class TarNames {
    private TarNames() {}

    /** The name in quotes for a message; control characters escaped, very long names shortened. */
    public static String quote(String name) {
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

    /** Bytes of {@code s} in UTF-8, without encoding it. */
    public static int utf8Length(String s) {
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
}
