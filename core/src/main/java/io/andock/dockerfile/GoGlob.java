package io.andock.dockerfile;

import io.andock.AndockException;

import java.util.regex.Pattern;

/**
 * Go's {@code filepath.Match} pattern syntax on {@code /}-separated paths, compiled to a Java regex: {@code *} any
 * run of non-separator characters, {@code ?} one non-separator character, {@code [a-z]} and {@code [^a-z]} classes,
 * backslash escaping the next character. With {@code doubleStar} (the .dockerignore dialect), {@code **} matches
 * any number of directories, including none.
 */
public final class GoGlob {
    private GoGlob() {
    }

    /** True when {@code s} holds an unescaped glob metacharacter. */
    public static boolean hasMeta(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') i++;
            else if (c == '*' || c == '?' || c == '[') return true;
        }
        return false;
    }

    public static Pattern compile(String glob, boolean doubleStar) {
        StringBuilder re = new StringBuilder("^");
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (doubleStar && i + 1 < n && glob.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < n && glob.charAt(i + 1) == '/') {
                            i++;
                            re.append(i + 1 == n ? ".*" : "(.*/)?");
                        } else {
                            re.append(".*");
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (i + 1 < n) re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    else throw bad(glob);
                }
                case '[' -> i = charClass(glob, i, re);
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.append('$').toString());
    }

    private static int charClass(String glob, int i, StringBuilder re) {
        int n = glob.length();
        StringBuilder cls = new StringBuilder("[");
        i++;
        if (i < n && glob.charAt(i) == '^') {
            cls.append('^');
            i++;
        }
        boolean any = false;
        for (; i < n; i++) {
            char c = glob.charAt(i);
            if (c == ']' && any) {
                re.append(cls).append(']');
                return i;
            }
            any = true;
            if (c == '\\') {
                if (++i >= n) throw bad(glob);
                c = glob.charAt(i);
            }
            if (c == '-' && cls.length() > 1 && i + 1 < n && glob.charAt(i + 1) != ']') {
                cls.append('-');
                continue;
            }
            if (Character.isLetterOrDigit(c)) cls.append(c);
            else cls.append('\\').append(c);
        }
        throw bad(glob);
    }

    private static AndockException bad(String glob) {
        return AndockException.invalid("syntax error in pattern: " + glob);
    }
}
