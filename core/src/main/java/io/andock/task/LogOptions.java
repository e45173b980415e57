package io.andock.task;

import io.andock.AndockException;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code logs [-f] [--tail N] [-t] [--since T] [--until T]} and the streams to show. {@code tail} &lt; 0 means
 * all lines; {@code since}/{@code until} (null: no bound) select records by their time, as Docker does: after
 * the tail is taken. Containers logged before stamped logs existed (a raw {@code container.log}) have one time
 * for every line, the file's last modification (see {@link ContainerLogs}).
 */
public record LogOptions(boolean follow, int tail, boolean timestamps, Instant since, Instant until,
                         boolean stdout, boolean stderr) {

    /** Both streams, no time bounds. */
    public LogOptions(boolean follow, int tail, boolean timestamps) {
        this(follow, tail, timestamps, null, null, true, true);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern UNIX = Pattern.compile("-?\\d+(\\.\\d{1,9})?");

    /**
     * A {@code --since}/{@code --until} value as the docker CLI takes it, or as the API receives it: unix seconds
     * with an optional fraction ({@code 1732790000.000000000}), RFC 3339 ({@code 2026-11-28T13:01:02Z}, with an
     * offset, or without one: local time), a date, or a Go duration ({@code 10m}, {@code 1h30m}) before
     * {@code now}. Empty or {@code 0}: null (no bound).
     */
    public static Instant parseTime(String value, Instant now) {
        if (value == null) return null;
        String v = value.trim();
        if (v.isEmpty() || v.equals("0")) return null;
        try {
            if (UNIX.matcher(v).matches()) {
                BigDecimal s = new BigDecimal(v);
                long sec = s.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
                int nanos = s.subtract(BigDecimal.valueOf(sec)).movePointRight(9).intValue();
                return Instant.ofEpochSecond(sec, nanos);
            }
            Duration d = duration(v);
            if (d != null) return now.minus(d);
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneId.systemDefault()).toInstant();
            if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) return OffsetDateTime.parse(v).toInstant();
            return LocalDateTime.parse(v).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw AndockException.invalid("invalid time value \"" + value + "\": use RFC 3339 (2026-11-28T13:01:02Z), "
                    + "unix seconds (1732790000.5) or a duration (10m, 1h30m)");
        }
    }

    /** A Go duration ({@code 1h30m}, {@code 1.5s}, {@code 250ms}); null if {@code v} is not one. */
    static Duration duration(String v) {
        Matcher m = DURATION.matcher(v);
        long nanos = 0;
        int at = 0;
        while (m.find() && m.start() == at) {
            BigDecimal n = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos += n.multiply(BigDecimal.valueOf(unit)).longValue();
            at = m.end();
        }
        return at == v.length() && at > 0 ? Duration.ofNanos(nanos) : null;
    }
}
