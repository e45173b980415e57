package io.andock.cli;

import io.andock.testkit.Cmd;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A user's control characters come back escaped in the one error line: no extra lines, no terminal sequences. */
class ErrorLineTest {
    @TempDir
    Path tmp;

    @Test
    @Tag("unit")
    void controlCharacters_areEscaped() {
        assertThat(ErrorLine.of("No such image: a\nb")).isEqualTo("No such image: a\\nb");
        assertThat(ErrorLine.of("x\u001b[31mred\r\t\u0000\u009b")).isEqualTo("x\\x1b[31mred\\r\\t\\x00\\x9b");
        assertThat(ErrorLine.of("plain: ü ok")).isEqualTo("plain: ü ok");
    }

    @Test
    void hostileNamesAndReferences_giveOneErrorLine() {
        Andock andock = new Andock(tmp.resolve("root"));
        for (String[] args : new String[][] {
                {"volume", "rm", "a\nb"}, {"inspect", "x\u001b]0;title\u0007"}, {"tag", "a\nb", "c"},
                {"rm", "evil\r\nError: fake"}, {"rmi", "a\nb:1"}, {"wait", "a\nb"}}) {
            Cmd.Result r = andock.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isNotZero();
            assertThat(r.stderr().strip()).as(String.join(" ", args)).doesNotContain("\n").doesNotContain("\r")
                    .doesNotContain("\u001b").doesNotContain("\u0007").isNotEmpty();
        }
    }
}
