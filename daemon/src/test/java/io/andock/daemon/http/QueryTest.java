package io.andock.daemon.http;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Query strings as dockerd reads them: repeated keys, booleans, integers, filters in both forms. */
@Tag("unit")
class QueryTest {

    static int status(Throwable e) {
        return ((ApiException) e).status();
    }

    @Test
    void get_decodesAndKeepsRepeatedKeys() {
        Query q = new Query("names=a&names=b%2Fc&fromImage=127.0.0.1%3A5000%2Fbb&x=a+b&empty=&flag");
        assertThat(q.all("names")).containsExactly("a", "b/c");
        assertThat(q.get("names")).isEqualTo("a");
        assertThat(q.get("fromImage")).isEqualTo("127.0.0.1:5000/bb");
        assertThat(q.get("x")).isEqualTo("a b");
        assertThat(q.get("empty")).isEmpty();
        assertThat(q.get("empty", "dflt")).isEqualTo("dflt");
        assertThat(q.has("flag")).isTrue();
        assertThat(q.get("missing")).isNull();
        assertThat(q.all("missing")).isEmpty();
    }

    @Test
    void nullOrEmpty_isNoValues() {
        assertThat(new Query(null).has("a")).isFalse();
        assertThat(new Query("").has("a")).isFalse();
        assertThat(new Query("&&").has("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%zz", "a=%", "%g0=1"})
    void malformedEscape_isBadRequest(String raw) {
        assertThatThrownBy(() -> new Query(raw)).isInstanceOf(ApiException.class).satisfies(e -> assertThat(status(e)).isEqualTo(400));
    }

    @Test
    void bool_readsLikeDockerd() {
        Query q = new Query("a=1&b=true&c=yes&d=0&e=false&f=no&g=none&h=&i=FALSE&j=%20no%20&k=anything");
        for (String t : List.of("a", "b", "c", "k")) assertThat(q.bool(t, false)).as(t).isTrue();
        for (String f : List.of("d", "e", "f", "g", "h", "i", "j")) assertThat(q.bool(f, true)).as(f).isFalse();
        assertThat(q.bool("absent", true)).isTrue();
        assertThat(q.bool("absent", false)).isFalse();
    }

    @Test
    void integer_parsesOrIsBadRequest() {
        Query q = new Query("t=10&neg=-1&sp=%205%20&bad=ten&big=99999999999&empty=");
        assertThat(q.integer("t", 0)).isEqualTo(10);
        assertThat(q.integer("neg", 0)).isEqualTo(-1);
        assertThat(q.integer("sp", 0)).isEqualTo(5);
        assertThat(q.integer("absent", 7)).isEqualTo(7);
        assertThat(q.integer("empty")).isNull();
        assertThatThrownBy(() -> q.integer("bad", 0)).satisfies(e -> assertThat(status(e)).isEqualTo(400)).hasMessageContaining("bad");
        assertThatThrownBy(() -> q.integer("big", 0)).satisfies(e -> assertThat(status(e)).isEqualTo(400));
    }

    @Test
    void filters_mapFormOfTheCli_skipsFalse() {
        Query q = new Query("filters=" + java.net.URLEncoder.encode("{\"reference\":{\"bb\":true,\"x\":false},\"dangling\":{\"true\":true}}",
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(q.filters()).containsExactly(Map.entry("reference", List.of("bb")), Map.entry("dangling", List.of("true")));
    }

    @Test
    void filters_listFormOfDockerJava_andScalars() {
        Query q = new Query("filters=" + java.net.URLEncoder.encode("{\"label\":[\"a=b\",\"c\"],\"status\":\"running\",\"n\":null}",
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(q.filters()).containsEntry("label", List.of("a=b", "c")).containsEntry("status", List.of("running"))
                .containsEntry("n", List.of());
    }

    @Test
    void filters_absentOrBlank_isEmpty() {
        assertThat(new Query("").filters()).isEmpty();
        assertThat(new Query("filters=").filters()).isEmpty();
        assertThat(new Query("filters=%20").filters()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"notjson", "[1]", "\"s\"", "{", "{\"a\":1", "1"})
    void filters_malformed_isBadRequest(String f) {
        Query q = new Query("filters=" + java.net.URLEncoder.encode(f, java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(q::filters).isInstanceOf(ApiException.class).satisfies(e -> assertThat(status(e)).isEqualTo(400));
    }
}
