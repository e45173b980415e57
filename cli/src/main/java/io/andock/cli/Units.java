package io.andock.cli;

import java.time.Duration;
import java.time.Instant;

/** Sizes and ages printed the way the docker CLI prints them (go-units). */
final class Units {
    private Units() {
    }

    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB"};

    /** {@code 4.26MB}: decimal units, about 3 significant digits, as docker images shows sizes. */
    static String humanSize(long bytes) {
        double v = bytes;
        int i = 0;
        while (v >= 1000 && i < DECIMAL.length - 1) {
            v /= 1000;
            i++;
        }
        String num = new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        return num + DECIMAL[i];
    }

    /** {@code 2 years ago}, {@code About an hour ago}, {@code Less than a second ago}. */
    static String ago(Instant then, Instant now) {
        if (then == null) return "N/A";
        return humanDuration(Duration.between(then, now)) + " ago";
    }

    static String humanDuration(Duration d) {
        return io.andock.container.ContainerView.human(d);
    }
}
