package io.andock.image;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Platform parsing, normalisation of Go/uname spellings, variants, and how well one platform runs another's image. */
@Tag("unit")
class PlatformTest {

    @ParameterizedTest
    @CsvSource({
            "linux/amd64,      linux/amd64",
            "amd64,            linux/amd64",
            "x86_64,           linux/amd64",
            "LINUX/X86-64,     linux/amd64",
            "linux/arm64,      linux/arm64/v8",
            "linux/arm64/v8,   linux/arm64/v8",
            "linux/arm64/8,    linux/arm64/v8",
            "aarch64,          linux/arm64/v8",
            "linux/arm,        linux/arm/v7",
            "linux/arm/v6,     linux/arm/v6",
            "linux/arm/5,      linux/arm/v5",
            "armhf,            linux/arm/v7",
            "armel,            linux/arm/v6",
            "linux/i686,       linux/386",
            "linux/386,        linux/386",
            "linux/riscv64,    linux/riscv64",
            "linux/s390x,      linux/s390x",
            "windows/amd64,    windows/amd64",
            "' linux/ppc64le ', linux/ppc64le",
    })
    void parse_normalisesArchitectureAndVariant(String in, String expected) {
        assertThat(Platform.parse(in)).hasToString(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "linux/amd64/v2/x", "linux/", "/amd64", "linux//v7", "a/b/c/d/e", "linux/amd64/"})
    void parse_rejectsMalformed(String in) {
        assertThatThrownBy(() -> Platform.parse(in))
                .isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT));
    }

    @Test
    void parse_null_isInvalid() {
        assertThatThrownBy(() -> Platform.parse(null)).isInstanceOf(AndockException.class);
    }

    @Test
    void equalPlatforms_fromBothSpellings_areEqual() {
        assertThat(Platform.parse("linux/arm64")).isEqualTo(Platform.parse("linux/aarch64/v8"));
        assertThat(new Platform(null, "amd64", null)).isEqualTo(Platform.parse("linux/amd64"));
    }

    @Test
    void score_exactMatch_isBest() {
        Platform want = Platform.parse("linux/arm/v7");
        assertThat(want.score(Platform.parse("linux/arm/v7"))).isEqualTo(100);
        assertThat(want.score(Platform.parse("linux/arm/v6"))).isBetween(1, 99);
        assertThat(want.score(Platform.parse("linux/arm/v6"))).isGreaterThan(want.score(Platform.parse("linux/arm/v5")));
    }

    @Test
    void score_newerArmVariant_doesNotRunOnOlder() {
        assertThat(Platform.parse("linux/arm/v6").score(Platform.parse("linux/arm/v7"))).isZero();
    }

    @Test
    void score_otherOsArchOrNull_isZero() {
        Platform want = Platform.parse("linux/amd64");
        assertThat(want.score(Platform.parse("windows/amd64"))).isZero();
        assertThat(want.score(Platform.parse("linux/arm64"))).isZero();
        assertThat(want.score(null)).isZero();
        assertThat(want.score(new Platform("unknown", "unknown", null))).isZero();
    }

    @Test
    void score_nonNumericArmVariant_isZeroNotAnError() {
        assertThat(Platform.parse("linux/arm/v7").score(new Platform("linux", "arm", "vx"))).isZero();
    }

    @Test
    void toJson_omitsEmptyVariant_andRoundTrips() {
        assertThat(Platform.parse("linux/amd64").toJson()).doesNotContainKey("variant");
        Platform p = Platform.parse("linux/arm/v6");
        byte[] json = io.andock.json.Json.writeBytes(p);
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v6\"}");
        assertThat(Platform.fromJson(JsonObject.parse(json))).isEqualTo(p);
    }

    @Test
    void host_isNormalised() {
        Platform h = Platform.host();
        assertThat(h.os()).isEqualTo("linux");
        assertThat(h.architecture()).isNotIn("x86_64", "aarch64");
    }
}
