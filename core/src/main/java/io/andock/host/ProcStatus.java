package io.andock.host;

/**
 * The security state of this process from {@code /proc/self/status}: effective uid, seccomp mode
 * (0 none, 1 strict, 2 filter; -1 when the kernel has no seccomp), no_new_privs and the effective capabilities.
 */
public record ProcStatus(int effectiveUid, int seccompMode, boolean noNewPrivs, long capEff) {

    /** Bit number of CAP_SYS_ADMIN in the capability sets. */
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_SYS_CHROOT = 18;

    /** Parses the text of {@code /proc/<pid>/status}; absent fields read as uid -1, seccomp -1, no caps. */
    public static ProcStatus parse(String text) {
        int uid = -1;
        int seccomp = -1;
        boolean nnp = false;
        long cap = 0;
        if (text == null) return new ProcStatus(uid, seccomp, nnp, cap);
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "Uid" -> {
                    String effective = field(value, 1); // of "real effective saved fs"
                    if (!effective.equals(value)) uid = Integer.parseInt(effective);
                }
                case "Seccomp" -> seccomp = Integer.parseInt(value);
                case "NoNewPrivs" -> nnp = "1".equals(value);
                case "CapEff" -> cap = Long.parseUnsignedLong(value, 16);
                default -> { }
            }
        }
        return new ProcStatus(uid, seccomp, nnp, cap);
    }

    /**
     * The {@code n}th whitespace-separated field of a status line (from 0), or the last one where it has fewer. By
     * hand, not a regex: every command reads {@code /proc/self/status} at start-up.
     */
    public static String field(String line, int n) {
        String last = "";
        int i = 0, k = 0;
        while (i < line.length()) {
            while (i < line.length() && Character.isWhitespace(line.charAt(i))) i++;
            int from = i;
            while (i < line.length() && !Character.isWhitespace(line.charAt(i))) i++;
            if (i > from) {
                last = line.substring(from, i);
                if (k++ == n) return last;
            }
        }
        return last;
    }

    public boolean isRoot() {
        return effectiveUid == 0;
    }

    public boolean hasCap(int bit) {
        return (capEff & (1L << bit)) != 0;
    }

    public String seccompName() {
        return switch (seccompMode) {
            case 0 -> "disabled";
            case 1 -> "strict";
            case 2 -> "filter";
            default -> "unsupported";
        };
    }
}
