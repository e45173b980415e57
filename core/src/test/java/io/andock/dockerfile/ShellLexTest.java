package io.andock.dockerfile;

import io.andock.AndockException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellLexTest {
    private static final Map<String, String> ENV = env();

    private static Map<String, String> env() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("PWD", "/home");
        m.put("SHELL", "bash");
        m.put("EMPTY", "");
        m.put("SPACED", "a b  c");
        return m;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "hello|hello",
            "$PWD|/home",
            "${PWD}|/home",
            "x${PWD}y|x/homey",
            "$PWD/x|/home/x",
            "$UNSET|~~",
            "a$UNSET.b|a.b",
            "${UNSET:-dflt}|dflt",
            "${EMPTY:-dflt}|dflt",
            "${EMPTY-dflt}|~~",
            "${UNSET-dflt}|dflt",
            "${PWD:-dflt}|/home",
            "${PWD:+alt}|alt",
            "${EMPTY:+alt}|~~",
            "${EMPTY+alt}|alt",
            "${UNSET+alt}|~~",
            "${UNSET:-$PWD}|/home",
            "${UNSET:-'$PWD'}|$PWD",
            "\\$PWD|$PWD",
            "\\${PWD}|${PWD}",
            "'$PWD'|$PWD",
            "\"$PWD\"|/home",
            "\"\\$PWD\"|$PWD",
            "\"a\\b\"|a\\b",
            "\"a\\\"b\"|a\"b",
            "'a\\b'|a\\b",
            "a\\ b|a b",
            "\"it's\"|it's",
            "$|$",
            "a$|a$",
            "$1|~~",
            "${PWD}${SHELL}|/homebash",
            "a\"b c\"d|ab cd",
    })
    void word(String in, String want) {
        assertThat(new ShellLex('\\').word(in, ENV)).isEqualTo(want == null ? "" : want);
    }

    @Test
    void backtickEscape() {
        ShellLex lex = new ShellLex('`');
        assertThat(lex.word("`$PWD", ENV)).isEqualTo("$PWD");
        assertThat(lex.word("c:\\dir\\$SHELL", ENV)).isEqualTo("c:\\dir\\bash");
        assertThat(lex.word("\"a`\"b\"", ENV)).isEqualTo("a\"b");
    }

    @Test
    void fieldsSplitExpansionsButNotQuotes() {
        ShellLex lex = new ShellLex('\\');
        assertThat(lex.process("x $SPACED \"$SPACED\"", ENV).words()).containsExactly("x", "a", "b", "c", "a b  c");
        assertThat(lex.process("'a b' c", ENV).words()).containsExactly("a b", "c");
    }

    @Test
    void errors() {
        ShellLex lex = new ShellLex('\\');
        assertThatThrownBy(() -> lex.word("${UNSET:?must be set}", ENV)).isInstanceOf(AndockException.class)
                .hasMessageContaining("UNSET: must be set");
        assertThatThrownBy(() -> lex.word("${PWD", ENV)).hasMessageContaining("missing '}'");
        assertThatThrownBy(() -> lex.word("${}", ENV)).hasMessageContaining("bad substitution");
        assertThatThrownBy(() -> lex.word("'abc", ENV)).hasMessageContaining("single-quote");
        assertThatThrownBy(() -> lex.word("\"abc", ENV)).hasMessageContaining("double-quote");
        assertThatThrownBy(() -> lex.word("${PWD#/}", ENV)).hasMessageContaining("unsupported modifier");
    }

    @Test
    void reportsUsedVariables() {
        assertThat(new ShellLex('\\').process("$PWD ${NOPE:-x}", ENV).used()).containsExactly("PWD", "NOPE");
        assertThat(List.of()).isEmpty();
    }
}
