package io.andock;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Timestamps} is {@link Instant#toString} and {@link Instant#parse}, whatever the instant or the text. */
class TimestampsTest {
    @Test
    void formatAndParse_agreeWithTheJdk_overRandomInstants_andEdges() {
        SplittableRandom r = new SplittableRandom(12);
        List<Instant> edges = List.of(Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(0, 1_000), Instant.ofEpochSecond(0, 1_000_000), Instant.ofEpochSecond(0, 999_999_999),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("2024-02-29T12:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX, Instant.now());
        for (Instant t : edges) check(t);
        for (int i = 0; i < 20_000; i++) {
            long s = r.nextLong(-62_200_000_000L, 253_500_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            check(Instant.ofEpochSecond(s, nano));
        }
    }

    private static void check(Instant t) {
        String jdk = t.toString();
        assertThat(Timestamps.format(t)).isEqualTo(jdk);
        assertThat(Timestamps.parse(jdk)).isEqualTo(t);
    }

    @Test
    void parse_otherForms_asTheJdkDoes() {
        for (String s : List.of("2026-12-08T00:13:29.5Z", "2026-12-08T00:13:29.12Z", "2026-12-08T00:13:29.1234Z",
                "2026-12-08T01:13:29+01:00", "2026-12-08t00:13:29z", "2016-12-31T23:59:60Z", "2026-12-08T24:00:00Z",
                "2026-12-08T00:13:29.Z")) {
            assertThat(Timestamps.parse(s)).as(s).isEqualTo(Instant.parse(s));
        }
    }

    @Test
    void parse_invalidText_failsAsTheJdkDoes() {
        for (String s : List.of("", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", 
                "2026-12-08T00:13:29.1234567890Z", "2026-12-08 00:13:29Z", "x026-12-08T00:13:29Z",
                "2026-12-08T00:13:29")) {
            assertThatThrownBy(() -> Instant.parse(s)).as(s).isInstanceOf(DateTimeException.class);
            assertThatThrownBy(() -> Timestamps.parse(s)).as(s).isInstanceOf(DateTimeException.class);
        }
    }
}
