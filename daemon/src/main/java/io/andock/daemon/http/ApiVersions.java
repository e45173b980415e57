package io.andock.daemon.http;

/**
 * API versions. We advertise 1.47 (CLI 28 downgrades to it; Testcontainers pins 1.44, below it) and accept every
 * version from 1.24 up, newer ones included: docker-java users need not pin one.
 */
public final class ApiVersions {
    public static final String CURRENT = "1.47";
    public static final String MINIMUM = "1.24";
    /** What {@code /version} reports as Version: Docker-compatible, at least 1.6.0 for Testcontainers. */
    public static final String ENGINE_VERSION = "28.2.2-andock";

    private ApiVersions() {}

    public static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0, q = i < y.length ? parse(y[i]) : 0;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
