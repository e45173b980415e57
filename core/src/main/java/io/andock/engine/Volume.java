package io.andock.engine;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A named volume as {@code docker volume inspect} shows it (driver {@code local}, scope {@code local}).
 *
 * @param name       the volume's name (64 hex digits for an anonymous one)
 * @param mountpoint the host directory containers see
 * @param createdAt  when it was made; null when unknown
 * @param labels     the labels given at create (empty when none)
 */
public record Volume(String name, Path mountpoint, Instant createdAt, Map<String, String> labels) {
    public Volume {
        labels = Map.copyOf(labels);
    }
}
