package io.andock;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Instants as andock's files store them, RFC 3339 in UTC ({@code 2026-12-08T00:13:29.5Z}, what {@link Instant#toString}
 * writes), formatted and parsed without {@link java.time.format.DateTimeFormatter}: its static set-up and parser
 * cost every command that touches a record ~8 ms of start-up (profiled: a {@code run} reads image records and
 * writes a container's times). Exactly {@link Instant#toString} and {@link Instant#parse}: anything outside the
 * years 0000-9999 or in another form (an offset, a leap second) goes to them.
 */
public final class Timestamps {
    private Timestamps() {}

    /** {@code Instant.toString()}: whole seconds, or a fraction of 3, 6 or 9 digits, as many as needed. */
    public static String format(Instant t) {
        long s = t.getEpochSecond();
        long day = Math.floorDiv(s, 86_400);
        int sec = (int) Math.floorMod(s, 86_400);
        if (day < -719_528 || day > 2_932_896) return t.toString(); // before 0000-01-01 or after 9999-12-31
        LocalDate d = LocalDate.ofEpochDay(day);
        StringBuilder b = new StringBuilder(30);
        pad(b, d.getYear(), 4).append('-');
        pad(b, d.getMonthValue(), 2).append('-');
        pad(b, d.getDayOfMonth(), 2).append('T');
        pad(b, sec / 3600, 2).append(':');
        pad(b, sec / 60 % 60, 2).append(':');
        pad(b, sec % 60, 2);
        int nano = t.getNano();
        if (nano != 0) {
            b.append('.');
            if (nano % 1_000_000 == 0) pad(b, nano / 1_000_000, 3);
            else if (nano % 1000 == 0) pad(b, nano / 1000, 6);
            else pad(b, nano, 9);
        }
        return b.append('Z').toString();
    }

    /** {@link Instant#parse}, with a fast path for {@code YYYY-MM-DDTHH:MM:SS[.F{1,9}]Z}. */
    public static Instant parse(CharSequence text) {
        String s = text.toString();
        int n = s.length();
        if (n >= 20 && n <= 30 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
                && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z') {
            int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
            int hour = digits(s, 11, 13), minute = digits(s, 14, 16), second = digits(s, 17, 19);
            int nano = 0;
            boolean ok = year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23
                    && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
            if (ok && n > 20) {
                ok = s.charAt(19) == '.' && n >= 22;
                int f = ok ? digits(s, 20, n - 1) : -1;
                ok = f >= 0;
                if (ok) {
                    nano = f;
                    for (int i = n - 1 - 20; i < 9; i++) nano *= 10;
                }
            }
            if (ok && day <= LocalDate.of(year, month, 1).lengthOfMonth()) {
                long epochDay = LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nano);
            }
        }
        return Instant.parse(s);
    }

    /** The decimal number in {@code s[from, to)}, or -1 where it is not all ASCII digits. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static StringBuilder pad(StringBuilder b, int v, int width) {
        String d = Integer.toString(v);
        for (int i = d.length(); i < width; i++) b.append('0');
        return b.append(d);
    }
}
