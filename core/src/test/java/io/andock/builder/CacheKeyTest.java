package io.andock.builder;

import io.andock.dockerfile.Dockerfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheKeyTest {
    @TempDir
    Path ctx;

    static final String[] DOCKERFILE = {"FROM alpine AS build", "ENV A=1", "COPY app/ /app/", "RUN make -C /app",
            "COPY conf.txt /etc/", "FROM alpine", "COPY --from=build /app/bin /bin/app", "CMD [\"app\"]"};

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(ctx.resolve("app"));
        Files.writeString(ctx.resolve("app/main.c"), "int main(){}");
        Files.writeString(ctx.resolve("conf.txt"), "x=1");
    }

    List<String> keys(String... df) {
        BuildPlan p = BuildPlan.of(Dockerfile.parse(String.join("\n", df)), BuildOptions.defaults());
        BuildContext c = BuildContext.open(ctx);
        StageEvaluator.Result build = StageEvaluator.evaluate(p, p.stage(0), null, "sha256:alpine", Map.of(), c, null);
        StageEvaluator.Result fin = StageEvaluator.evaluate(p, p.stage(1), null, "sha256:alpine",
                Map.of(0, build.finalKey()), c, null);
        List<String> out = new java.util.ArrayList<>(build.steps().stream().map(Step::cacheKey).toList());
        out.addAll(fin.steps().stream().map(Step::cacheKey).toList());
        return out;
    }

    @Test
    void sameInput_sameKeys_touchingDoesNotMatter() throws IOException {
        List<String> first = keys(DOCKERFILE);
        assertThat(keys(DOCKERFILE)).isEqualTo(first);
        Files.setLastModifiedTime(ctx.resolve("app/main.c"), FileTime.fromMillis(1));
        Files.setLastModifiedTime(ctx.resolve("conf.txt"), FileTime.fromMillis(2));
        assertThat(keys(DOCKERFILE)).isEqualTo(first);
        assertThat(first).doesNotHaveDuplicates();
    }

    @Test
    void contentChange_invalidatesFromThatStepOn() throws IOException {
        List<String> before = keys(DOCKERFILE);
        Files.writeString(ctx.resolve("conf.txt"), "x=2");
        List<String> after = keys(DOCKERFILE);
        assertThat(after.subList(0, 3)).isEqualTo(before.subList(0, 3));
        for (int i = 3; i < before.size(); i++) assertThat(after.get(i)).isNotEqualTo(before.get(i));
    }

    @Test
    void earlyChange_invalidatesEverythingAfter() throws IOException {
        List<String> before = keys(DOCKERFILE);
        Files.writeString(ctx.resolve("app/new.h"), "");
        List<String> after = keys(DOCKERFILE);
        assertThat(after.get(0)).isEqualTo(before.get(0));
        for (int i = 1; i < before.size(); i++) assertThat(after.get(i)).isNotEqualTo(before.get(i));
    }

    @Test
    void modeAndOwnerMatter() throws IOException {
        List<String> before = keys(DOCKERFILE);
        Files.setPosixFilePermissions(ctx.resolve("conf.txt"), PosixFilePermissions.fromString("rwx------"));
        assertThat(keys(DOCKERFILE).get(3)).isNotEqualTo(before.get(3));
        String[] chowned = DOCKERFILE.clone();
        chowned[4] = "COPY --chown=1000:1000 conf.txt /etc/";
        assertThat(keys(chowned).get(3)).isNotEqualTo(keys(DOCKERFILE).get(3));
    }

    @Test
    void copyStep_describesSourcesAndDestination() {
        BuildPlan p = BuildPlan.of(Dockerfile.parse("FROM a\nWORKDIR /w\nCOPY app conf.txt ./\nCOPY conf.txt c"),
                BuildOptions.defaults());
        StageEvaluator.Result r = StageEvaluator.evaluate(p, p.target(), null, null, Map.of(), BuildContext.open(ctx), null);
        Step multi = r.steps().get(1);
        Step.Copy copy = (Step.Copy) multi.action();
        assertThat(copy.dest()).isEqualTo("/w");
        assertThat(copy.destIsDir()).isTrue();
        assertThat(copy.contextSources()).extracting(BuildContext.Entry::path).containsExactly("app", "conf.txt");
        assertThat(multi.createdBy()).matches("/bin/sh -c #\\(nop\\) COPY multi:[0-9a-f]{64} in \\./ ");
        assertThat(r.steps().get(2).createdBy()).matches("/bin/sh -c #\\(nop\\) COPY file:[0-9a-f]{64} in c ");
        assertThat(((Step.Copy) r.steps().get(2).action()).dest()).isEqualTo("/w/c");
        BuildPlan bad = BuildPlan.of(Dockerfile.parse("FROM a\nCOPY app conf.txt /dst"), BuildOptions.defaults());
        assertThatThrownBy(() -> StageEvaluator.evaluate(bad, bad.target(), null, null, Map.of(), BuildContext.open(ctx), null))
                .hasMessageContaining("Dockerfile:2: COPY: When using COPY with more than one source file");
        BuildPlan esc = BuildPlan.of(Dockerfile.parse("FROM a\n\nCOPY ../x /x"), BuildOptions.defaults());
        assertThatThrownBy(() -> StageEvaluator.evaluate(esc, esc.target(), null, null, Map.of(), BuildContext.open(ctx), null))
                .hasMessage("Dockerfile:3: COPY: forbidden path outside the build context: ../x");
    }
}
