package io.andock.dockerfile;

import io.andock.AndockException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerfileParseTest {

    private static Dockerfile parse(String... lines) {
        return Dockerfile.parse(String.join("\n", lines) + "\n");
    }

    private static Instruction only(String... lines) {
        return parse(lines).stages().get(0).instructions().get(0);
    }

    @Test
    void from_scratchPlatformAndName() {
        Dockerfile df = parse("FROM --platform=linux/arm64 busybox:1.36 AS Build", "FROM scratch");
        Instruction.From f = df.stages().get(0).from();
        assertThat(f.image()).isEqualTo("busybox:1.36");
        assertThat(f.name()).isEqualTo("build");
        assertThat(f.platform()).isEqualTo("linux/arm64");
        assertThat(df.stages().get(1).from().image()).isEqualTo("scratch");
        assertThat(df.stages().get(1).displayName()).isEqualTo("1");
    }

    @Test
    void continuation_skipsCommentAndEmptyLines() {
        Instruction.Run r = (Instruction.Run) only("FROM a", "RUN echo one \\", "# a comment", "", "  # indented comment",
                "    two \\   ", "three");
        assertThat(r.command()).containsExactly("echo one     two three");
        assertThat(r.shellForm()).isTrue();
        assertThat(r.line()).isEqualTo(2);
    }

    @Test
    void hashInsideLineIsNotAComment() {
        Instruction.Run r = (Instruction.Run) only("FROM a", "RUN echo hi # not a comment");
        assertThat(r.command()).containsExactly("echo hi # not a comment");
    }

    @Test
    void escapeDirective_backtick() {
        Dockerfile df = parse("# escape=`", "# syntax=docker/dockerfile:1", "FROM a", "RUN dir c:\\ `", "  /w");
        assertThat(df.escape()).isEqualTo('`');
        assertThat(((Instruction.Run) df.stages().get(0).instructions().get(0)).command())
                .containsExactly("dir c:\\   /w");
    }

    @Test
    void directiveAfterCommentIsJustAComment() {
        Dockerfile df = parse("# hello", "# escape=`", "FROM a", "RUN a \\", "b");
        assertThat(df.escape()).isEqualTo('\\');
        assertThat(((Instruction.Run) df.stages().get(0).instructions().get(0)).command()).containsExactly("a b");
    }

    @Test
    void repeatedDirectiveRefused() {
        assertThatThrownBy(() -> parse("# escape=`", "# escape=\\", "FROM a"))
                .hasMessage("Dockerfile:2: only one escape parser directive can be used");
    }

    @Test
    void run_execForm_andInvalidJsonFallsBackToShell() {
        Instruction.Run r = (Instruction.Run) only("FROM a", "RUN [\"echo\", \"a b\"]");
        assertThat(r.shellForm()).isFalse();
        assertThat(r.command()).containsExactly("echo", "a b");
        Instruction.Run s = (Instruction.Run) only("FROM a", "RUN [echo, hi]");
        assertThat(s.shellForm()).isTrue();
        assertThat(s.command()).containsExactly("[echo, hi]");
        assertThatThrownBy(() -> parse("FROM a", "CMD [\"a\", 1]")).hasMessageContaining("Dockerfile:2: when using JSON");
    }

    @Test
    void env_bothForms() {
        Instruction.Env legacy = (Instruction.Env) only("FROM a", "ENV MY_VAR  hello  world ");
        assertThat(legacy.pairs()).containsExactly(new Instruction.KeyValue("MY_VAR", "hello  world"));
        Instruction.Env kv = (Instruction.Env) only("FROM a", "ENV A=1 B=\"two words\" C=three\\ words D=");
        assertThat(kv.pairs()).containsExactly(new Instruction.KeyValue("A", "1"),
                new Instruction.KeyValue("B", "\"two words\""), new Instruction.KeyValue("C", "three\\ words"),
                new Instruction.KeyValue("D", ""));
    }

    @Test
    void env_badSyntax() {
        assertThatThrownBy(() -> parse("FROM a", "ENV A=1 B")).isInstanceOf(AndockException.class)
                .hasMessage("Dockerfile:2: Syntax error - can't find = in \"B\". Must be of the form: name=value");
        assertThatThrownBy(() -> parse("FROM a", "ENV A")).hasMessage("Dockerfile:2: ENV must have two arguments");
        assertThatThrownBy(() -> parse("FROM a", "LABEL =x")).hasMessage("Dockerfile:2: LABEL names can not be blank");
    }

    @Test
    void arg_forms() {
        Dockerfile df = parse("ARG V=1 W", "FROM a", "ARG X=\"a b\"");
        assertThat(df.metaArgs().get(0).args()).containsExactly(new Instruction.ArgDecl("V", "1"),
                new Instruction.ArgDecl("W", null));
        assertThat(((Instruction.Arg) df.stages().get(0).instructions().get(0)).args())
                .containsExactly(new Instruction.ArgDecl("X", "\"a b\""));
        assertThatThrownBy(() -> parse("FROM a", "ARG =x")).hasMessage("Dockerfile:2: ARG names can not be blank");
        assertThatThrownBy(() -> parse("FROM a", "ARG")).hasMessage("Dockerfile:2: ARG requires at least one argument");
    }

    @Test
    void errorsPointAtTheLine() {
        assertThatThrownBy(() -> parse("FROM a", "", "# c", "RUN x", "", "", "FOO bar"))
                .hasMessage("Dockerfile:7: unknown instruction: FOO");
        assertThatThrownBy(() -> parse("RUN x")).hasMessageStartingWith("Dockerfile:1: no build stage in current context");
        assertThatThrownBy(() -> parse("ARG x")).hasMessageStartingWith("Dockerfile:1: no FROM instruction");
        assertThatThrownBy(() -> parse("# only a comment")).hasMessageContaining("file with no instructions");
        assertThatThrownBy(() -> parse("FROM a", "COPY --frm=x a b")).hasMessage("Dockerfile:2: unknown flag: --frm");
        assertThatThrownBy(() -> parse("FROM a", "RUN --mount=type=cache,target=/x make"))
                .hasMessage("Dockerfile:2: unknown flag: --mount");
        assertThatThrownBy(() -> parse("FROM a", "COPY a")).hasMessageContaining("Dockerfile:2: COPY requires at least two");
        assertThatThrownBy(() -> parse("FROM a b")).hasMessage("Dockerfile:1: FROM requires either one or three arguments");
        assertThatThrownBy(() -> parse("FROM a AS 1x")).hasMessageContaining("invalid name for build stage");
        assertThatThrownBy(() -> parse("FROM a", "WORKDIR")).hasMessage("Dockerfile:2: WORKDIR requires exactly one argument");
        assertThatThrownBy(() -> parse("FROM a", "SHELL /bin/sh -c")).hasMessageContaining("JSON form");
        assertThatThrownBy(() -> parse("FROM a AS x", "FROM b AS X")).hasMessageContaining("duplicate stage name");
    }

    @Test
    void copy_flagsAndJson() {
        Instruction.Copy c = (Instruction.Copy) only("FROM a", "COPY --chown=1:2 --chmod=755 --from=build [\"a b\", \"/c/\"]");
        assertThat(c.sources()).containsExactly("a b");
        assertThat(c.dest()).isEqualTo("/c/");
        assertThat(c.chown()).isEqualTo("1:2");
        assertThat(c.chmod()).isEqualTo("755");
        assertThat(c.from()).isEqualTo("build");
        Instruction.Copy add = (Instruction.Copy) only("FROM a", "ADD --chown=\"app\" x.tar https://e.com/f /d/");
        assertThat(add.add()).isTrue();
        assertThat(add.sources()).containsExactly("x.tar", "https://e.com/f");
        assertThat(add.chown()).isEqualTo("app");
        assertThatThrownBy(() -> parse("FROM a", "ADD --from=x a b")).hasMessage("Dockerfile:2: unknown flag: --from");
    }

    @Test
    void healthcheck_forms() {
        Instruction.Healthcheck h = (Instruction.Healthcheck) only("FROM a",
                "HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --retries=3 CMD curl -f http://x/ || exit 1");
        assertThat(h.test()).containsExactly("CMD-SHELL", "curl -f http://x/ || exit 1");
        assertThat(h.intervalNanos()).isEqualTo(300_000_000_000L);
        assertThat(h.timeoutNanos()).isEqualTo(3_000_000_000L);
        assertThat(h.startPeriodNanos()).isEqualTo(90_000_000_000L);
        assertThat(h.retries()).isEqualTo(3);
        Instruction.Healthcheck j = (Instruction.Healthcheck) only("FROM a", "HEALTHCHECK CMD [\"/bin/check\", \"-q\"]");
        assertThat(j.test()).containsExactly("CMD", "/bin/check", "-q");
        assertThat(((Instruction.Healthcheck) only("FROM a", "HEALTHCHECK NONE")).test()).containsExactly("NONE");
        assertThatThrownBy(() -> parse("FROM a", "HEALTHCHECK NONE x")).hasMessageContaining("takes no arguments");
        assertThatThrownBy(() -> parse("FROM a", "HEALTHCHECK --interval=1us CMD x")).hasMessageContaining("cannot be less");
        assertThatThrownBy(() -> parse("FROM a", "HEALTHCHECK FOO x")).hasMessageContaining("try CMD");
    }

    @Test
    void onbuild_storedAndChecked() {
        Instruction.Onbuild o = (Instruction.Onbuild) only("FROM a", "ONBUILD COPY . /app");
        assertThat(o.expression()).isEqualTo("COPY . /app");
        assertThatThrownBy(() -> parse("FROM a", "ONBUILD ONBUILD RUN x")).hasMessageContaining("Chaining ONBUILD");
        assertThatThrownBy(() -> parse("FROM a", "ONBUILD FROM x")).hasMessageContaining("isn't allowed as an ONBUILD trigger");
        assertThatThrownBy(() -> parse("FROM a", "ONBUILD FOO x")).hasMessage("Dockerfile:2: unknown instruction: FOO");
    }

    @Test
    void volume_exposeAndOthers() {
        Dockerfile df = parse("from a", "volume /a /b", "VOLUME [\"/c d\"]", "EXPOSE 80 443/udp", "USER app:app",
                "STOPSIGNAL SIGQUIT", "MAINTAINER Jo <jo@x>", "WORKDIR \"/my dir\"", "SHELL [\"/bin/bash\", \"-c\"]");
        List<Instruction> in = df.stages().get(0).instructions();
        assertThat(((Instruction.Volume) in.get(0)).paths()).containsExactly("/a", "/b");
        assertThat(((Instruction.Volume) in.get(1)).paths()).containsExactly("/c d");
        assertThat(((Instruction.Expose) in.get(2)).ports()).containsExactly("80", "443/udp");
        assertThat(((Instruction.User) in.get(3)).user()).isEqualTo("app:app");
        assertThat(((Instruction.StopSignal) in.get(4)).signal()).isEqualTo("SIGQUIT");
        assertThat(((Instruction.Maintainer) in.get(5)).name()).isEqualTo("Jo <jo@x>");
        assertThat(((Instruction.Workdir) in.get(6)).path()).isEqualTo("\"/my dir\"");
        assertThat(((Instruction.Shell) in.get(7)).shell()).containsExactly("/bin/bash", "-c");
    }

    @Test
    void goDurations() {
        assertThat(GoDuration.format(300_000_000_000L)).isEqualTo("5m0s");
        assertThat(GoDuration.format(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(GoDuration.format(0)).isEqualTo("0s");
        assertThat(GoDuration.format(3_600_000_000_000L + 1_000_000_000L)).isEqualTo("1h0m1s");
        assertThat(GoDuration.format(2_000_000L)).isEqualTo("2ms");
        assertThat(GoDuration.parse("1h2m3.5s")).isEqualTo(3_723_500_000_000L);
    }
}
