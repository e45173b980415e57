package io.andock.runtime;

/**
 * {@code logs [-f] [--tail N]}; {@code tail} &lt; 0 means all. {@code timestamps} is refused: the log file is the
 * raw byte stream (the monitor is a shell and cannot stamp lines), so there are no per-line times to show.
 */
public record LogOptions(boolean follow, int tail, boolean timestamps) {
}
