package io.andock.registry;

import io.andock.AndockException;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between attempts: {@code initial × 2^attempt}, at most {@link #MAX}, with full jitter in its upper half
 * (so a fleet of phones does not return in lockstep). A {@code Retry-After} the server sends is honoured up to
 * {@link #MAX_RETRY_AFTER}; asked to wait longer, we give up rather than hang.
 */
final class Backoff {
    static final Duration MAX = Duration.ofSeconds(30);
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private final Duration initial;

    Backoff(Duration initial) {
        this.initial = initial;
    }

    /** The delay before attempt {@code attempt + 1}; empty when the server's Retry-After is beyond reason. */
    Optional<Duration> delay(int attempt, Optional<String> retryAfter) {
        if (retryAfter.isPresent()) {
            Duration asked = parseRetryAfter(retryAfter.get());
            if (asked != null) return asked.compareTo(MAX_RETRY_AFTER) > 0 ? Optional.empty() : Optional.of(asked);
        }
        long base = initial.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(base, MAX.toMillis());
        long half = capped / 2;
        return Optional.of(Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1)));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AndockException(AndockException.Kind.UNAVAILABLE, "interrupted", e);
        }
    }

    /** Seconds or an HTTP date; null when unreadable. */
    static Duration parseRetryAfter(String v) {
        String s = v.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(s)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime t = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(t.getZone()), t);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
