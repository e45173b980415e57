package io.andock.registry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChallengeTest {

    @Test
    void parse_bearerWithQuotedParams() {
        List<Challenge> cs = Challenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertThat(cs).hasSize(1);
        Challenge c = cs.get(0);
        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.param("service")).isEqualTo("registry.docker.io");
        assertThat(c.param("scope")).isEqualTo("repository:library/busybox:pull");
    }

    @Test
    void parse_basicAndBearerInOneHeader_spacesAndEscapes() {
        List<Challenge> cs = Challenge.parse("Basic realm=\"my \\\"realm\\\"\" , BEARER realm=https://x/token, error=insufficient_scope");
        assertThat(cs).extracting(Challenge::scheme).containsExactly("basic", "bearer");
        assertThat(cs.get(0).param("realm")).isEqualTo("my \"realm\"");
        assertThat(cs.get(1).param("realm")).isEqualTo("https://x/token");
        assertThat(cs.get(1).param("error")).isEqualTo("insufficient_scope");
    }

    @Test
    void parse_garbageAndEmpty_doNotLoop() {
        assertThat(Challenge.parse("")).isEmpty();
        assertThat(Challenge.parse(null)).isEmpty();
        assertThat(Challenge.parse("Negotiate abc==")).extracting(Challenge::scheme).containsExactly("negotiate");
        assertThat(Challenge.parseAll(List.of("Basic", "Bearer realm=\"r\""))).extracting(Challenge::scheme)
                .containsExactly("basic", "bearer");
    }
}
