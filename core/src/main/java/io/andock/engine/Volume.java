package io.andock.engine;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A named volume as {@code docker volume inspect} shows it (driver {@code local}, scope {@code local}).
 *
 * @param name       the volume's name (64 hex digits for an anonymous one)
 * @param mountpoint the host directory containers see
 * @param createdAt  when it was made; null when unknown
 */
public record Volume(String name, Path mountpoint, Instant createdAt) {
}
