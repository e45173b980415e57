package io.andock.os;

import io.andock.AndockException;

import java.util.List;
import java.util.Locale;

/** Linux signal names and numbers (x86 and arm share them), parsed as Docker does: {@code TERM}, {@code SIGTERM}, {@code 15}. */
public final class Signals {
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
    public static final int HUP = 1, INT = 2, QUIT = 3, KILL = 9, USR1 = 10, USR2 = 12, TERM = 15;

    private Signals() {}

    public static int parse(String s) {
        if (s == null || s.isEmpty()) throw AndockException.invalid("invalid signal: empty");
        String n = s.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) n = n.substring(3);
        if (n.chars().allMatch(Character::isDigit)) {
            int v = Integer.parseInt(n);
            if (v >= 1 && v <= 64) return v;
        } else {
            int i = NAMES.indexOf(n);
            if (i > 0) return i;
            if (n.equals("IOT")) return 6;
            if (n.equals("POLL")) return 29;
            if (n.startsWith("RTMIN")) return 34 + offset(n.substring(5), s);
            if (n.startsWith("RTMAX")) return 64 + offset(n.substring(5), s);
        }
        throw AndockException.invalid("invalid signal: " + s);
    }

    private static int offset(String rest, String s) {
        if (rest.isEmpty()) return 0;
        try {
            return Integer.parseInt(rest);
        } catch (NumberFormatException e) {
            throw AndockException.invalid("invalid signal: " + s);
        }
    }

    public static String name(int signal) {
        return signal > 0 && signal < NAMES.size() ? "SIG" + NAMES.get(signal) : Integer.toString(signal);
    }
}
