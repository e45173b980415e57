package io.andock.host;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kernel release as {@code uname -r} prints it ({@code 6.1.0-18-amd64}), with its numeric head. */
public record KernelVersion(int major, int minor, int patch, String release) {

    private static final Pattern HEAD = Pattern.compile("^(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    /** Parses a release string; an unparsable one gives 0.0.0 with the text kept. */
    public static KernelVersion parse(String release) {
        String r = release == null ? "" : release.strip();
        Matcher m = HEAD.matcher(r);
        if (!m.find()) return new KernelVersion(0, 0, 0, r);
        return new KernelVersion(num(m.group(1)), num(m.group(2)), num(m.group(3)), r);
    }

    private static int num(String s) {
        return s == null ? 0 : Integer.parseInt(s);
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    public boolean known() {
        return major > 0;
    }

    @Override
    public String toString() {
        return release;
    }
}
