package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryErrorsTest {

    private static AndockException of(int status, String body) {
        return RegistryErrors.of(status, body.getBytes(StandardCharsets.UTF_8), "pull access denied for 127.0.0.1:5000/x");
    }

    @Test
    void errorBody_decidesKindAndMessage() {
        AndockException e = of(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{}}]}");
        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("manifest unknown");
        assertThat(of(404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\"}]}").kind())
                .isEqualTo(Kind.NOT_FOUND);
        AndockException denied = of(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
        assertThat(denied.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(denied.getMessage()).isEqualTo("pull access denied for 127.0.0.1:5000/x, repository does not exist or may "
                + "require 'andock login': authentication required");
        assertThat(of(403, "{\"errors\":[{\"code\":\"DENIED\"}]}").getMessage()).endsWith(": denied");
        assertThat(of(400, "{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"invalid repository name\"}]}").kind())
                .isEqualTo(Kind.INVALID_ARGUMENT);
    }

    @Test
    void withoutBody_statusDecides() {
        assertThat(of(404, "").kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(of(503, "<html>busy</html>").kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(of(503, "").getMessage()).isEqualTo("service unavailable (HTTP 503)");
        assertThat(of(429, "").kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(of(418, "").getMessage()).isEqualTo("unexpected HTTP status 418");
    }

    @Test
    void backoff_growsWithJitter_andHonoursRetryAfterWithinReason() {
        Backoff b = new Backoff(Duration.ofMillis(100));
        for (int i = 0; i < 20; i++) {
            assertThat(b.delay(0, Optional.empty()).orElseThrow().toMillis()).isBetween(50L, 100L);
            assertThat(b.delay(3, Optional.empty()).orElseThrow().toMillis()).isBetween(400L, 800L);
            assertThat(b.delay(30, Optional.empty()).orElseThrow()).isLessThanOrEqualTo(Backoff.MAX);
        }
        assertThat(b.delay(0, Optional.of("2"))).contains(Duration.ofSeconds(2));
        assertThat(b.delay(0, Optional.of("3600"))).isEmpty();
        assertThat(b.delay(0, Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"))).contains(Duration.ZERO);
        assertThat(b.delay(0, Optional.of("soon")).orElseThrow().toMillis()).isBetween(50L, 100L);
    }
}
