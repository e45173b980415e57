package io.andock.container;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import io.andock.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's health check in Docker's shape ({@code Config.Healthcheck}, the image's {@code HEALTHCHECK}):
 * {@code test} is {@code ["NONE"]}, {@code ["CMD", args…]} or {@code ["CMD-SHELL", command]}; an empty test
 * inherits the image's. Durations are nanoseconds, 0 for Docker's default (30 s interval and timeout, no start
 * period, 3 retries).
 */
public record Healthcheck(List<String> test, long intervalNanos, long timeoutNanos, long startPeriodNanos,
                          long startIntervalNanos, int retries) implements JsonWritable {
    public static final long DEFAULT_INTERVAL = 30_000_000_000L;
    public static final long DEFAULT_TIMEOUT = 30_000_000_000L;
    public static final int DEFAULT_RETRIES = 3;
    /** Docker's floor for every duration that is set. */
    private static final long MIN = 1_000_000L;

    public Healthcheck {
        test = test == null ? List.of() : List.copyOf(test);
        if (!test.isEmpty() && !List.of("NONE", "CMD", "CMD-SHELL").contains(test.get(0))) {
            throw AndockException.invalid("unknown health check type " + test.get(0) + " (NONE, CMD or CMD-SHELL)");
        }
        if (!test.isEmpty() && !test.get(0).equals("NONE") && test.size() < 2) {
            throw AndockException.invalid("a " + test.get(0) + " health check needs a command");
        }
        for (long d : new long[]{intervalNanos, timeoutNanos, startPeriodNanos, startIntervalNanos}) {
            if (d < 0) throw AndockException.invalid("health check durations cannot be negative");
            if (d != 0 && d < MIN) throw AndockException.invalid("health check durations must be at least 1ms");
        }
        if (retries < 0) throw AndockException.invalid("--health-retries cannot be negative");
    }

    /** {@code HEALTHCHECK NONE} / {@code --no-healthcheck}: no check, even where the image has one. */
    public boolean disabled() {
        return !test.isEmpty() && test.get(0).equals("NONE");
    }

    /** This, with what it leaves unset taken from {@code base} (the image's): Docker's merge field by field. */
    public Healthcheck over(Healthcheck base) {
        if (base == null) return this;
        return new Healthcheck(test.isEmpty() ? base.test : test,
                intervalNanos != 0 ? intervalNanos : base.intervalNanos, timeoutNanos != 0 ? timeoutNanos : base.timeoutNanos,
                startPeriodNanos != 0 ? startPeriodNanos : base.startPeriodNanos,
                startIntervalNanos != 0 ? startIntervalNanos : base.startIntervalNanos, retries != 0 ? retries : base.retries);
    }

    /** The command the probe runs inside the container: CMD's words, or {@code /bin/sh -c} for CMD-SHELL. */
    public List<String> command() {
        if (test.isEmpty() || disabled()) return List.of();
        if (test.get(0).equals("CMD-SHELL")) return List.of("/bin/sh", "-c", test.get(1));
        return test.subList(1, test.size());
    }

    public long interval() {
        return intervalNanos != 0 ? intervalNanos : DEFAULT_INTERVAL;
    }

    public long timeout() {
        return timeoutNanos != 0 ? timeoutNanos : DEFAULT_TIMEOUT;
    }

    public int effectiveRetries() {
        return retries != 0 ? retries : DEFAULT_RETRIES;
    }

    /** Docker's JSON: zero durations and retries left out. */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Test", new ArrayList<>(test));
        if (intervalNanos != 0) m.put("Interval", intervalNanos);
        if (timeoutNanos != 0) m.put("Timeout", timeoutNanos);
        if (startPeriodNanos != 0) m.put("StartPeriod", startPeriodNanos);
        if (startIntervalNanos != 0) m.put("StartInterval", startIntervalNanos);
        if (retries != 0) m.put("Retries", (long) retries);
        return m;
    }

    /** From Docker's JSON; null for a missing or null object. */
    public static Healthcheck fromJson(JsonObject o) {
        if (o == null) return null;
        return new Healthcheck(o.strings("Test"), o.number("Interval", 0), o.number("Timeout", 0), o.number("StartPeriod", 0),
                o.number("StartInterval", 0), (int) Math.min(Integer.MAX_VALUE, Math.max(-1, o.number("Retries", 0))));
    }
}
