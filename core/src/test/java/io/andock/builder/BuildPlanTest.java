package io.andock.builder;

import io.andock.dockerfile.Dockerfile;
import io.andock.image.Platform;
import io.andock.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildPlanTest {
    static final Platform AMD64 = new Platform("linux", "amd64", null);
    static final Platform ARM64 = new Platform("linux", "arm64", null);

    static BuildPlan plan(BuildOptions o, String... lines) {
        return BuildPlan.of(Dockerfile.parse(String.join("\n", lines)), o.withPlatforms(ARM64, AMD64));
    }

    @Test
    void onlyStagesTheTargetNeeds() {
        String[] df = {"FROM alpine AS base", "FROM base AS build", "RUN make", "FROM busybox AS unused",
                "FROM scratch AS final", "COPY --from=build /out /out", "COPY --from=1 /x /x"};
        BuildPlan p = plan(BuildOptions.defaults(), df);
        assertThat(p.stages()).extracting(BuildPlan.PlannedStage::index).containsExactly(0, 1, 3);
        assertThat(p.target().base()).isEqualTo(new BuildPlan.Base.Scratch());
        assertThat(p.stage(1).base()).isEqualTo(new BuildPlan.Base.Stage(0));
        assertThat(p.target().copyFrom()).containsEntry(6, new BuildPlan.Base.Stage(1));
        BuildPlan t = plan(BuildOptions.defaults().withTarget("unused"), df);
        assertThat(t.stages()).extracting(BuildPlan.PlannedStage::index).containsExactly(2);
        assertThat(t.target().base()).isEqualTo(new BuildPlan.Base.Image("busybox"));
        assertThatThrownBy(() -> plan(BuildOptions.defaults().withTarget("nope"), df))
                .hasMessageContaining("failed to reach build target nope");
    }

    @Test
    void copyFrom_unknownOrLaterStageRefused_imageAccepted() {
        assertThatThrownBy(() -> plan(BuildOptions.defaults(), "FROM a AS one", "COPY --from=2 /x /x", "FROM b"))
                .hasMessageStartingWith("Dockerfile:2: --from=2: no earlier build stage with index 2");
        assertThatThrownBy(() -> plan(BuildOptions.defaults(), "FROM a AS one", "COPY --from=two /x /x", "FROM b AS two"))
                .hasMessageStartingWith("Dockerfile:2: --from=two: stage \"two\" is not defined before");
        assertThatThrownBy(() -> plan(BuildOptions.defaults(), "FROM a", "COPY --from=Not_A/Ref! /x /x"))
                .hasMessageStartingWith("Dockerfile:2: --from=Not_A/Ref!: no build stage named");
        BuildPlan p = plan(BuildOptions.defaults(), "FROM a", "COPY --from=nginx:1.25 /etc/nginx /x");
        assertThat(p.target().copyFrom()).containsEntry(2, new BuildPlan.Base.Image("nginx:1.25"));
    }

    @Test
    void metaArgs_inFromAndBuildArgOverride() {
        String[] df = {"ARG TAG=3.19", "ARG IMG=alpine:${TAG}", "FROM ${IMG} AS x", "FROM --platform=$BUILDPLATFORM busybox:$TAG", "COPY --from=x /a /a"};
        BuildPlan p = plan(BuildOptions.defaults(), df);
        assertThat(p.stage(0).base()).isEqualTo(new BuildPlan.Base.Image("alpine:3.19"));
        assertThat(p.stage(0).platform()).isEqualTo(ARM64);
        assertThat(p.stage(1).platform()).isEqualTo(AMD64);
        assertThat(p.globalArgs()).containsEntry("TARGETARCH", "arm64").containsEntry("BUILDPLATFORM", "linux/amd64");
        BuildPlan o = plan(BuildOptions.defaults().withBuildArgs(Map.of("TAG", "edge", "UNUSED", "1")), df);
        assertThat(o.stage(0).base()).isEqualTo(new BuildPlan.Base.Image("alpine:edge"));
        assertThat(o.warnings()).containsExactly("One or more build-args [UNUSED] were not consumed");
    }

    @Test
    void argScopes_globalNeedsRedeclaration() {
        BuildPlan p = plan(BuildOptions.defaults(), "ARG V=global", "FROM a", "ENV A=$V", "ARG V", "ENV B=$V",
                "ARG TARGETARCH", "ARG W=$V-x", "ENV C=$TARGETARCH D=$W");
        StageEvaluator.Result r = StageEvaluator.evaluate(p, p.target(), null, null, Map.of(), null, null);
        assertThat(env(r.config())).containsExactly("A=", "B=global", "C=arm64", "D=global-x");
    }

    @Test
    void envWinsOverArg_buildArgWinsOverDefault() {
        BuildPlan p = plan(BuildOptions.defaults().withBuildArgs(Map.of("X", "cli")), "FROM a", "ARG X=dflt",
                "ENV Y=$X", "ENV X=env", "ENV Z=$X");
        StageEvaluator.Result r = StageEvaluator.evaluate(p, p.target(), null, null, Map.of(), null, null);
        assertThat(env(r.config())).containsExactly("Y=cli", "X=env", "Z=env");
    }

    static List<String> env(JsonObject image) {
        return image.object("config").strings("Env");
    }
}
