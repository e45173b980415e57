package io.andock.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to "can this machine do X?": yes, no, or unknown (not probed, or the evidence was inconclusive),
 * always with the reason a person can act on.
 */
public record Verdict(Status status, String reason) {

    public enum Status { YES, NO, UNKNOWN }

    public Verdict {
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
    }

    public static Verdict yes(String reason) {
        return new Verdict(Status.YES, reason);
    }

    public static Verdict no(String reason) {
        return new Verdict(Status.NO, reason);
    }

    public static Verdict unknown(String reason) {
        return new Verdict(Status.UNKNOWN, reason);
    }

    public boolean isYes() {
        return status == Status.YES;
    }

    public boolean isNo() {
        return status == Status.NO;
    }

    /** {@code {"State": "yes", "Reason": "..."}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("State", status.name().toLowerCase());
        m.put("Reason", reason);
        return m;
    }

    /** The inverse of {@link #toJson()}; a missing or odd state reads as unknown. */
    public static Verdict fromJson(Map<?, ?> m) {
        Object s = m == null ? null : m.get("State");
        Object r = m == null ? null : m.get("Reason");
        Status status = switch (String.valueOf(s)) {
            case "yes" -> Status.YES;
            case "no" -> Status.NO;
            default -> Status.UNKNOWN;
        };
        return new Verdict(status, r == null ? "" : r.toString());
    }

    @Override
    public String toString() {
        return status.name().toLowerCase() + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
