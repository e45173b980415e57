package io.andock.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times as the docker CLI prints them in {@code --format} output: {@code 2024-01-01 00:00:00 +0000 UTC}. */
final class DockerTime {
    private static final DateTimeFormatter GO_DEFAULT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    private DockerTime() {
    }

    static String local(Instant t) {
        return GO_DEFAULT.format(t.atZone(ZoneId.systemDefault()));
    }
}
