package io.andock.dockerfile;

import io.andock.AndockException;

/** Go's {@code time.Duration} text form ({@code 1m30s}, {@code 500ms}), as HEALTHCHECK flags and history use it. */
public final class GoDuration {
    private GoDuration() {
    }

    /** Parses a Go duration into nanoseconds. */
    public static long parse(String s) {
        String in = s;
        if (s.equals("0")) return 0;
        boolean neg = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.isEmpty()) throw invalid(in);
        double total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            if (start == i) throw invalid(in);
            double num;
            try {
                num = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw invalid(in);
            }
            int u = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
            long unit = switch (s.substring(u, i)) {
                case "ns" -> 1L;
                case "us", "\u00b5s", "\u03bcs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw invalid(in);
            };
            total += num * unit;
        }
        long n = Math.round(total);
        return neg ? -n : n;
    }

    private static AndockException invalid(String s) {
        return AndockException.invalid("time: invalid duration \"" + s + "\"");
    }

    /** Formats nanoseconds as Go's {@code Duration.String} does: {@code 0s}, {@code 1.5s}, {@code 5m0s}, {@code 2ms}. */
    public static String format(long ns) {
        if (ns == 0) return "0s";
        StringBuilder b = new StringBuilder();
        if (ns < 0) {
            b.append('-');
            ns = -ns;
        }
        if (ns < 1_000_000_000L) {
            if (ns < 1_000L) return b.append(ns).append("ns").toString();
            if (ns < 1_000_000L) return b.append(fraction(ns, 1_000L)).append("\u00b5s").toString();
            return b.append(fraction(ns, 1_000_000L)).append("ms").toString();
        }
        long h = ns / 3_600_000_000_000L;
        long rem = ns % 3_600_000_000_000L;
        long m = rem / 60_000_000_000L;
        long sNs = rem % 60_000_000_000L;
        if (h > 0) b.append(h).append('h');
        if (h > 0 || m > 0) b.append(m).append('m');
        return b.append(fraction(sNs, 1_000_000_000L)).append('s').toString();
    }

    private static String fraction(long v, long unit) {
        long whole = v / unit;
        long frac = v % unit;
        if (frac == 0) return Long.toString(whole);
        String f = String.format("%0" + Long.toString(unit).length() + "d", frac).substring(1);
        f = f.replaceAll("0+$", "");
        return whole + "." + f;
    }
}
