package io.andock.dockerfile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DockerIgnoreTest {

    @Test
    void patterns_cleanedCommentsAndExceptions() {
        DockerIgnore ig = DockerIgnore.parse("# comment\n\n  *.md  \n!README.md\n/build\n./tmp/\nsrc/**/*.o\n**/.git\n");
        assertThat(ig.patterns()).containsExactly("*.md", "!README.md", "build", "tmp", "src/**/*.o", "**/.git");
        assertThat(ig.excludes("CHANGES.md")).isTrue();
        assertThat(ig.excludes("README.md")).isFalse();
        assertThat(ig.excludes("docs/x.md")).isFalse();          // * does not cross /
        assertThat(ig.excludes("build")).isTrue();
        assertThat(ig.excludes("build/out/a.jar")).isTrue();     // parent matches
        assertThat(ig.excludes("tmp/x")).isTrue();
        assertThat(ig.excludes("src/a.o")).isTrue();             // ** matches zero directories
        assertThat(ig.excludes("src/a/b/c.o")).isTrue();
        assertThat(ig.excludes("src/a/b/c.c")).isFalse();
        assertThat(ig.excludes(".git/config")).isTrue();
        assertThat(ig.excludes("vendor/x/.git")).isTrue();
        assertThat(ig.excludes(".")).isFalse();
    }

    @Test
    void lastMatchWins_andExceptionInsideExcludedDir() {
        DockerIgnore ig = DockerIgnore.parse("docs\n!docs/keep.txt\n**/*.txt\n");
        assertThat(ig.excludes("docs/keep.txt")).isTrue();
        DockerIgnore ig2 = DockerIgnore.parse("*.txt\ndocs\n!docs/keep.txt\n");
        assertThat(ig2.excludes("docs/keep.txt")).isFalse();
        assertThat(ig2.excludes("docs/other")).isTrue();
        assertThat(ig2.hasExceptions()).isTrue();
    }

    @Test
    void goMatchSyntax() {
        DockerIgnore ig = DockerIgnore.parse("file?.[a-c]\n[^x]y\nlit\\*\n");
        assertThat(ig.excludes("file1.b")).isTrue();
        assertThat(ig.excludes("file1.d")).isFalse();
        assertThat(ig.excludes("ay")).isTrue();
        assertThat(ig.excludes("xy")).isFalse();
        assertThat(ig.excludes("lit*")).isTrue();
        assertThat(ig.excludes("litx")).isFalse();
    }
}
