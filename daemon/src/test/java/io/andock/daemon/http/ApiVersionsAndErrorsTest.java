package io.andock.daemon.http;

import io.andock.AndockException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** API version comparison, and the one place where error kinds become HTTP status codes. */
@Tag("unit")
class ApiVersionsAndErrorsTest {

    @ParameterizedTest
    @CsvSource({"1.24,1.24,0", "1.9,1.24,-1", "1.47,1.24,1", "1.100,1.47,1", "2.0,1.99,1", "1.47,1.47.0,0", "1.47.1,1.47,1",
            "1.x,1.0,0", "1,1.0,0"})
    void compare_isNumericPerPart(String a, String b, int sign) {
        assertThat(Integer.signum(ApiVersions.compare(a, b))).isEqualTo(sign);
        assertThat(Integer.signum(ApiVersions.compare(b, a))).isEqualTo(-sign);
    }

    @Test
    void advertisedVersions_areInOrder() {
        assertThat(ApiVersions.compare(ApiVersions.MINIMUM, ApiVersions.CURRENT)).isNegative();
        assertThat(ApiVersions.compare("1.44", ApiVersions.CURRENT)).isNegative(); // Testcontainers' pin is served
        assertThat(ApiVersions.ENGINE_VERSION).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @ParameterizedTest
    @CsvSource({"INVALID_ARGUMENT,400", "NOT_FOUND,404", "ALREADY_EXISTS,409", "CONFLICT,409", "UNAUTHORIZED,401",
            "UNSUPPORTED,501", "CORRUPT,500", "UNAVAILABLE,500", "INTERNAL,500"})
    void status_ofEveryKind(AndockException.Kind kind, int status) {
        assertThat(Errors.status(new AndockException(kind, "x"))).isEqualTo(status);
        assertThat(Errors.status(new AndockException(kind, "x").withContext("outer"))).isEqualTo(status);
    }

    @Test
    void status_everyKindIsMapped() {
        for (AndockException.Kind k : AndockException.Kind.values()) {
            assertThat(Errors.status(new AndockException(k, "x"))).as(k.name()).isBetween(400, 599);
        }
    }

    @Test
    void status_apiExceptionKeepsItsOwn_otherThrowablesAre500() {
        assertThat(Errors.status(new ApiException(304, "not modified"))).isEqualTo(304);
        assertThat(Errors.status(ApiException.badRequest("x"))).isEqualTo(400);
        assertThat(Errors.status(ApiException.notImplemented("x"))).isEqualTo(501);
        assertThat(Errors.status(new IllegalStateException("x"))).isEqualTo(500);
        assertThat(Errors.status(new NullPointerException())).isEqualTo(500);
    }

    @Test
    void message_fallsBackToTheClassName() {
        assertThat(Errors.message(new AndockException(AndockException.Kind.NOT_FOUND, "no such image: x").withContext("inspect")))
                .isEqualTo("inspect: no such image: x");
        assertThat(Errors.message(new NullPointerException())).isEqualTo("NullPointerException");
        assertThat(Errors.message(new RuntimeException(""))).isEqualTo("RuntimeException");
    }

    @Test
    void jsonLinesBar_andSize_lookLikeDockers() {
        assertThat(JsonLines.bar(0, 100)).startsWith("[>").contains("0B/100B");
        assertThat(JsonLines.bar(50, 100)).startsWith("[" + "=".repeat(25) + ">");
        assertThat(JsonLines.bar(100, 100)).startsWith("[" + "=".repeat(50) + "]");
        assertThat(JsonLines.bar(200, 100)).startsWith("[" + "=".repeat(50) + "]");
        assertThat(JsonLines.bar(1234, -1)).isEqualTo("   1.23kB");
        assertThat(JsonLines.size(999)).isEqualTo("999B");
        assertThat(JsonLines.size(1000)).isEqualTo("1.00kB");
        assertThat(JsonLines.size(3_400_000)).isEqualTo("3.40MB");
        assertThat(JsonLines.size(Long.MAX_VALUE)).endsWith("TB");
    }
}
