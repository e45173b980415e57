package io.andock.container;

import java.util.List;

/**
 * {@code ps [-a] [--filter ...]}: filters are {@code status=}, {@code name=} (substring), {@code label=K} or
 * {@code label=K=V}, {@code id=} (prefix); several values of one key are or-ed (label values are and-ed), different keys and-ed (Docker).
 */
public record ListOptions(boolean all, List<String> filters) {
    public static final ListOptions ALL = new ListOptions(true, List.of());
    public static final ListOptions RUNNING = new ListOptions(false, List.of());

    public ListOptions {
        filters = List.copyOf(filters);
    }
}
