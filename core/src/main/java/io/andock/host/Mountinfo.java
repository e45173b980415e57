package io.andock.host;

import java.util.ArrayList;
import java.util.List;

/** Lines of {@code /proc/self/mountinfo}: just the fields a probe needs. */
public record Mountinfo(List<Mount> mounts) {

    /**
     * One mount. {@code root} is the path inside the filesystem that is mounted (not "/" for bind mounts and
     * for cgroup namespaces), {@code options} the per-mount options (rw/ro, ...), {@code superOptions} the
     * filesystem's own (for cgroup v1: the controllers).
     */
    public record Mount(String root, String mountPoint, List<String> options, String fsType, List<String> superOptions) {
        public Mount {
            options = List.copyOf(options);
            superOptions = List.copyOf(superOptions);
        }

        public boolean readOnly() {
            return options.contains("ro");
        }
    }

    public Mountinfo {
        mounts = List.copyOf(mounts);
    }

    /** Parses the file's text; malformed lines are skipped. */
    public static Mountinfo parse(String text) {
        List<Mount> out = new ArrayList<>();
        if (text == null) return new Mountinfo(out);
        for (String line : text.split("\n")) {
            String[] f = line.strip().split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 6 || dash < 6 || dash + 2 >= f.length) continue;
            List<String> sup = dash + 3 < f.length ? List.of(f[dash + 3].split(",")) : List.of();
            out.add(new Mount(unescape(f[3]), unescape(f[4]), List.of(f[5].split(",")), f[dash + 1], sup));
        }
        return new Mountinfo(out);
    }

    /** Undoes the kernel's octal escapes ({@code \040} for a space). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    public List<Mount> ofType(String fsType) {
        return mounts.stream().filter(m -> m.fsType().equals(fsType)).toList();
    }
}
