package io.andock.json;

import io.andock.AndockException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON reader and writer: escapes, unicode, numbers, nesting bound, malformed input, large input. */
@Tag("unit")
class JsonTest {

    static void assertInvalid(String text) {
        assertThatThrownBy(() -> Json.parse(text)).as(text)
                .isInstanceOf(AndockException.class)
                .hasMessageStartingWith("invalid JSON")
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT));
    }

    @Test
    void parse_scalarsAndContainers() {
        assertThat(Json.parse(" true ")).isEqualTo(true);
        assertThat(Json.parse("false")).isEqualTo(false);
        assertThat(Json.parse("null")).isNull();
        assertThat(Json.parse("\"x\"")).isEqualTo("x");
        assertThat(Json.parse("[]")).isEqualTo(List.of());
        assertThat(Json.parse("{}")).isEqualTo(Map.of());
        assertThat(Json.parse("\t\r\n{ \"a\" : [ 1 , { } , null ] }\n")).isEqualTo(
                Map.of("a", java.util.Arrays.asList(1L, Map.of(), null)));
    }

    @Test
    void parse_keepsKeyOrder_andLastDuplicateWins() {
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) Json.parse("{\"z\":1,\"a\":2,\"m\":3,\"a\":4}");
        assertThat(m.keySet()).containsExactly("z", "a", "m");
        assertThat(m.get("a")).isEqualTo(4L);
    }

    @Test
    void parse_escapes() {
        assertThat(Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\\u00e9\"")).isEqualTo("\" \\ / \b \f \n \r \t Aé");
    }

    @Test
    void parse_surrogatePairEscape_isOneCodePoint() {
        String s = (String) Json.parse("\"\\ud83d\\ude00\"");
        assertThat(s).isEqualTo("😀");
        assertThat(s.codePointCount(0, s.length())).isEqualTo(1);
    }

    @Test
    void parse_rawUtf8_multibyteAndAstral() {
        byte[] utf8 = "{\"k\":\"日本語 😀 ü\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonObject.parse(utf8).string("k")).isEqualTo("日本語 😀 ü");
    }

    @Test
    void parse_numbers() {
        assertThat(Json.parse("0")).isEqualTo(0L);
        assertThat(Json.parse("-42")).isEqualTo(-42L);
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.parse("9223372036854775808")).isEqualTo(new BigDecimal("9223372036854775808"));
        assertThat(Json.parse("1.5")).isEqualTo(new BigDecimal("1.5"));
        assertThat(Json.parse("-1.25e3")).isEqualTo(new BigDecimal("-1.25e3"));
        assertThat(Json.parse("1E-2")).isEqualTo(new BigDecimal("0.01"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "}", "[", "]", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\" 1}",
            "{a:1}", "{'a':1}", "{1:2}", "[1 2]", "\"abc", "\"a\\\"", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"",
            "\"\\u+123\"", "\"\\u-123\"", "\"\\u 123\"", "tru", "nul", "True", "NaN", "Infinity", "-", "--1", "1-2",
            "+1", ".5", "1e", "1.2.3", "{} {}", "[] x", "\"a\u0001b\"", "\"line\nbreak\"", "/* c */ 1", "[1]]"})
    void parse_malformed_isInvalidJsonWithOffset(String text) {
        assertInvalid(text);
    }

    @Test
    void parse_errorNamesTheOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1 x}")).hasMessageMatching("invalid JSON at offset [78]: .*");
    }

    @Test
    void parse_nestingUpTo512_isAccepted_deeperIsRefusedWithoutStackOverflow() {
        assertThat(Json.parse("[".repeat(512) + "]".repeat(512))).isInstanceOf(List.class);
        assertInvalid("[".repeat(600) + "]".repeat(600));
        assertInvalid("[".repeat(200_000));
        assertInvalid("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000));
    }

    @Test
    void parse_largeInput_isQuick() {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) items.add(Map.of("id", i, "name", "item-" + i, "ok", true));
        String text = Json.write(items);
        assertThat(text.length()).isGreaterThan(3_000_000);
        long t0 = System.nanoTime();
        List<?> back = (List<?>) Json.parse(text.getBytes(StandardCharsets.UTF_8));
        assertThat(back).hasSize(100_000);
        String big = "x".repeat(8 << 20);
        assertThat(Json.parse("\"" + big + "\"")).isEqualTo(big);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void parseObject_ofNonObject_isInvalid() {
        assertThatThrownBy(() -> Json.parseObject("[1]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(AndockException.class);
        assertThat(Json.parseObject("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).containsEntry("a", 1L);
    }

    @Test
    void write_escapesQuotesBackslashesAndControlCharacters() {
        assertThat(Json.write("\"\\\n\r\t\u0001\u001f\b\f/é😀"))
                .isEqualTo("\"\\\"\\\\\\n\\r\\t\\u0001\\u001f\\u0008\\u000c/é😀\"");
    }

    @Test
    void write_thenParse_roundTripsEveryCharacterBelow0x800AndSurrogatePairs() {
        StringBuilder b = new StringBuilder();
        for (char c = 0; c < 0x800; c++) b.append(c);
        b.append("😀𝄞");
        String s = b.toString();
        assertThat(Json.parse(Json.writeBytes(s))).isEqualTo(s);
    }

    @Test
    void write_numbersOfEveryKind() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", 1);
        m.put("l", -5L);
        m.put("s", (short) 3);
        m.put("bd", new BigDecimal("1.50"));
        m.put("bi", new BigInteger("123456789012345678901234567890"));
        m.put("d", 2.0);
        m.put("f", 0.5f);
        m.put("big", 1e20);
        assertThat(Json.write(m)).isEqualTo("{\"i\":1,\"l\":-5,\"s\":3,\"bd\":1.50,\"bi\":123456789012345678901234567890,"
                + "\"d\":2,\"f\":0.5,\"big\":1.0E20}");
        assertThat(Json.parse(Json.write(m))).isInstanceOf(Map.class);
    }

    @Test
    void write_nonFiniteDoubles_stayValidJson() {
        for (double d : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            String out = Json.write(Map.of("v", d));
            assertThat(Json.parse(out)).as(out).isInstanceOf(Map.class);
        }
    }

    @Test
    void write_nullsListsArraysWritablesAndOtherObjects() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", null);
        m.put("a", new Object[]{"x", 1});
        m.put("w", (JsonWritable) () -> Map.of("k", "v"));
        m.put("o", java.time.Duration.ofSeconds(1));
        m.put(null, List.of());
        assertThat(Json.write(m)).isEqualTo("{\"n\":null,\"a\":[\"x\",1],\"w\":{\"k\":\"v\"},\"o\":\"PT1S\",\"null\":[]}");
    }

    @Test
    void pretty_indentsLikeDockerInspect_andKeepsEmptyContainersCompact() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", "x");
        m.put("Empty", Map.of());
        m.put("L", List.of(1, List.of()));
        assertThat(Json.pretty(m, 4)).isEqualTo("""
                {
                    "Id": "x",
                    "Empty": {},
                    "L": [
                        1,
                        []
                    ]
                }""");
        assertThat(Json.parse(Json.pretty(m, 2))).isEqualTo(Json.parse(Json.write(m)));
    }

    @Test
    void jsonObject_typedReads_nameTheKeyOnWrongType() {
        JsonObject o = JsonObject.parse("{\"s\":\"x\",\"n\":5,\"b\":true,\"o\":{\"k\":\"v\",\"i\":1},\"l\":[\"a\"],\"z\":null}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(o.string("s")).isEqualTo("x");
        assertThat(o.string("missing", "d")).isEqualTo("d");
        assertThat(o.number("n", 0)).isEqualTo(5);
        assertThat(o.number("missing", 7)).isEqualTo(7);
        assertThat(o.bool("b")).isTrue();
        assertThat(o.bool("s")).isFalse();
        assertThat(o.has("z")).isFalse();
        assertThat(o.stringMap("o")).containsExactly(Map.entry("k", "v"));
        assertThat(o.strings("l")).containsExactly("a");
        assertThat(o.strings("missing")).isNull();
        assertThat(o.object("missing").map()).isEmpty();
        assertThat(o.list("missing")).isEmpty();
        assertThatThrownBy(() -> o.string("n")).hasMessageContaining("\"n\"");
        assertThatThrownBy(() -> o.number("s", 0)).hasMessageContaining("\"s\"");
        assertThatThrownBy(() -> o.object("l")).hasMessageContaining("\"l\"");
        assertThatThrownBy(() -> o.list("o")).hasMessageContaining("\"o\"");
        assertThatThrownBy(() -> JsonObject.parse("{\"l\":[1]}".getBytes(StandardCharsets.UTF_8)).strings("l")).hasMessageContaining("\"l\"");
        assertThatThrownBy(() -> JsonObject.of(List.of())).isInstanceOf(AndockException.class);
        assertThat(JsonObject.of(null).map()).isEmpty();
    }

    /** A size or count from outside must not silently wrap or lose its fraction. */
    @ParameterizedTest
    @ValueSource(strings = {"18446744073709551617", "9223372036854775808", "1.5", "-0.1", "1e30"})
    void jsonObject_number_outOfRangeOrFractional_isInvalid(String n) {
        JsonObject o = JsonObject.parse(("{\"size\":" + n + "}").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> o.number("size", 0)).isInstanceOf(AndockException.class).hasMessageContaining("\"size\"");
    }

    @Test
    void jsonObject_number_integralDecimal_isAccepted() {
        JsonObject o = JsonObject.parse("{\"a\":5.0,\"b\":5.24288e+08}".getBytes(StandardCharsets.UTF_8));
        assertThat(o.number("a", 0)).isEqualTo(5);
        assertThat(o.number("b", 0)).isEqualTo(524288000);
    }
}
