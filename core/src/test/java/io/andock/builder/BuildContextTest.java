package io.andock.builder;

import io.andock.AndockException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildContextTest {
    @TempDir
    Path tmp;
    Path ctx;

    @BeforeEach
    void tree() throws IOException {
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(tmp.resolve("secret"), "outside");
        Files.createDirectories(ctx.resolve("src/sub"));
        Files.writeString(ctx.resolve("a.txt"), "a");
        Files.writeString(ctx.resolve("b.txt"), "b");
        Files.writeString(ctx.resolve("src/main.c"), "int main;");
        Files.writeString(ctx.resolve("src/sub/x.o"), "obj");
        Files.writeString(ctx.resolve("ignored.log"), "log");
        Files.writeString(ctx.resolve(".dockerignore"), "*.log\nsrc/**/*.o\n");
        Files.createSymbolicLink(ctx.resolve("up"), Path.of("../../.."));
        Files.createSymbolicLink(ctx.resolve("abs"), Path.of("/src"));
        Files.createSymbolicLink(ctx.resolve("src/link"), Path.of("../a.txt"));
    }

    @Test
    void parentPathsRefused() {
        BuildContext c = BuildContext.open(ctx);
        assertThatThrownBy(() -> c.resolve("../secret")).isInstanceOf(AndockException.class)
                .hasMessage("forbidden path outside the build context: ../secret");
        assertThatThrownBy(() -> c.resolve("src/../../secret")).hasMessageContaining("outside the build context");
        assertThat(c.resolve("/a.txt")).extracting(BuildContext.Entry::path).containsExactly("a.txt");
    }

    @Test
    void symlinksAlongTheSourceStayInside() {
        BuildContext c = BuildContext.open(ctx);
        assertThatThrownBy(() -> c.resolve("up/secret")).hasMessageContaining("file not found in build context");
        assertThat(c.resolve("up/a.txt")).extracting(BuildContext.Entry::path).containsExactly("a.txt");
        assertThat(c.resolve("abs/main.c")).extracting(BuildContext.Entry::path).containsExactly("src/main.c");
    }

    @Test
    void globsAndIgnore() {
        BuildContext c = BuildContext.open(ctx);
        assertThat(c.resolve("*.txt")).extracting(BuildContext.Entry::path).containsExactly("a.txt", "b.txt");
        assertThatThrownBy(() -> c.resolve("*.log")).hasMessageContaining("no source files were specified");
        assertThatThrownBy(() -> c.resolve("ignored.log")).hasMessageContaining("excluded by .dockerignore");
        BuildContext.Entry src = c.resolve("src").get(0);
        assertThat(c.walk(src)).extracting(BuildContext.Entry::path)
                .containsExactly("src/link", "src/main.c", "src/sub");
        assertThat(c.walk(src).get(0).type()).isEqualTo(BuildContext.Type.SYMLINK);
    }
}
