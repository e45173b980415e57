package io.andock.host;

import java.util.List;

/**
 * Whether this is Android, which SDK level (0 when unknown), and whether we run inside the Termux app.
 *
 * @param evidence what gave it away ("/system/build.prop", "ANDROID_ROOT", ...), for the report
 */
public record AndroidInfo(boolean android, int sdk, String release, boolean termux, String termuxVersion,
                          List<String> evidence) {

    /** Android 12: the first release with the phantom process killer. */
    public static final int SDK_ANDROID_12 = 31;

    public AndroidInfo {
        evidence = List.copyOf(evidence);
    }

    public static AndroidInfo notAndroid() {
        return new AndroidInfo(false, 0, null, false, null, List.of());
    }

    /** The value of {@code key} in build.prop text ({@code key=value} lines), or null. */
    public static String prop(String buildProp, String key) {
        if (buildProp == null) return null;
        for (String line : buildProp.split("\n")) {
            String l = line.strip();
            if (l.startsWith(key + "=")) return l.substring(key.length() + 1).strip();
        }
        return null;
    }

    /** Parses an SDK level; 0 for null or junk. */
    public static int sdk(String s) {
        if (s == null) return 0;
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether the phantom process killer may kill our children (Android 12+, or Android of unknown SDK). */
    public boolean phantomProcessKiller() {
        return android && (sdk == 0 || sdk >= SDK_ANDROID_12);
    }

    /** "Android 14 (SDK 34), Termux 0.118.3", or "no". */
    public String describe() {
        if (!android) return "no";
        StringBuilder b = new StringBuilder("Android");
        if (release != null) b.append(' ').append(release);
        if (sdk > 0) b.append(" (SDK ").append(sdk).append(')');
        if (termux) b.append(", Termux").append(termuxVersion == null ? "" : " " + termuxVersion);
        return b.toString();
    }
}
