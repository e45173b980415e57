package io.andock.container;

import java.time.Duration;
import java.time.Instant;

/** A container as listings show it: its record, its reconciled state and its health (null: no health check). */
public record ContainerView(ContainerRecord record, ContainerState state, HealthStatus health) {

    public ContainerView(ContainerRecord record, ContainerState state) {
        this(record, state, null);
    }

    public String id() {
        return record.id();
    }

    public String name() {
        return record.name();
    }

    /** {@code docker ps}'s STATUS: {@code Up 3 seconds}, {@code Exited (0) 2 minutes ago}, {@code Created}. */
    public String statusText(Instant now) {
        return switch (state.status()) {
            case "running" -> "Up " + human(Duration.between(io.andock.Timestamps.parse(state.startedAt()), now))
                    + (health == null ? "" : " " + health.psText());
            case "paused" -> "Up " + human(Duration.between(io.andock.Timestamps.parse(state.startedAt()), now)) + " (Paused)";
            case "restarting" -> "Restarting (" + state.exitCode() + ")";
            case "exited" -> state.finishedAt().equals(ContainerState.ZERO_TIME) ? "Exited (" + state.exitCode() + ")"
                    : "Exited (" + state.exitCode() + ") " + human(Duration.between(io.andock.Timestamps.parse(state.finishedAt()), now)) + " ago";
            case "dead" -> "Dead";
            default -> "Created";
        };
    }

    /** The command as {@code docker ps} prints it (quoted, untruncated). */
    public String command() {
        return "\"" + String.join(" ", record.process().args()) + "\"";
    }

    /** {@code ps}'s PORTS column: {@code 0.0.0.0:8080->8080/tcp}. */
    public String portsText() {
        return ContainerInspector.portsText(record);
    }

    /** Docker's {@code units.HumanDuration}. */
    public static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 1) return "Less than a second";
        if (s == 1) return "1 second";
        if (s < 60) return s + " seconds";
        long m = s / 60;
        if (m == 1) return "About a minute";
        if (m < 60) return m + " minutes";
        long h = Math.round(s / 3600.0);
        if (h == 1) return "About an hour";
        if (h < 48) return h + " hours";
        if (h < 24 * 7 * 2) return h / 24 + " days";
        if (h < 24 * 30 * 2) return h / 24 / 7 + " weeks";
        if (h < 24 * 365 * 2) return h / 24 / 30 + " months";
        return h / 24 / 365 + " years";
    }
}
