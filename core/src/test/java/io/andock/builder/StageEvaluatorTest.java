package io.andock.builder;

import io.andock.dockerfile.Dockerfile;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.andock.builder.BuildPlanTest.env;
import static io.andock.builder.BuildPlanTest.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StageEvaluatorTest {

    static StageEvaluator.Result eval(BuildOptions o, JsonObject base, String... lines) {
        BuildPlan p = plan(o, lines);
        return StageEvaluator.evaluate(p, p.target(), base, base == null ? null : "sha256:base", Map.of(), null,
                "2024-01-01T00:00:00Z");
    }

    static StageEvaluator.Result eval(String... lines) {
        return eval(BuildOptions.defaults(), null, lines);
    }

    static JsonObject base(String json) {
        return JsonObject.of(Json.parse(json));
    }

    @Test
    void historyFormsLikeTheClassicBuilder() {
        StageEvaluator.Result r = eval("FROM scratch", "ENV A=1 B=\"x y\"", "LABEL k=v", "WORKDIR app",
                "USER nobody", "EXPOSE 8080 53/udp", "VOLUME /data", "STOPSIGNAL SIGTERM", "CMD [\"sh\"]",
                "ENTRYPOINT /start", "ONBUILD RUN make", "HEALTHCHECK --interval=5m --retries=3 CMD curl -f x",
                "SHELL [\"/bin/bash\", \"-c\"]", "CMD echo hi", "MAINTAINER jo");
        assertThat(r.steps()).extracting(Step::createdBy).containsExactly(
                "/bin/sh -c #(nop)  ENV A=1 B=x y",
                "/bin/sh -c #(nop)  LABEL k=v",
                "/bin/sh -c #(nop) WORKDIR /app",
                "/bin/sh -c #(nop)  USER nobody",
                "/bin/sh -c #(nop)  EXPOSE 53/udp 8080/tcp",
                "/bin/sh -c #(nop)  VOLUME [/data]",
                "/bin/sh -c #(nop)  STOPSIGNAL SIGTERM",
                "/bin/sh -c #(nop)  CMD [\"sh\"]",
                "/bin/sh -c #(nop)  ENTRYPOINT [\"/bin/sh\" \"-c\" \"/start\"]",
                "/bin/sh -c #(nop)  ONBUILD RUN make",
                "/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f x\"] \"5m0s\" \"0s\" \"0s\" \"0s\" '\\x03'}",
                "/bin/bash -c #(nop)  SHELL [/bin/bash -c]",
                "/bin/bash -c #(nop)  CMD [\"/bin/bash\" \"-c\" \"echo hi\"]",
                "/bin/bash -c #(nop)  MAINTAINER jo");
        assertThat(r.steps()).allMatch(Step::emptyLayer);
        JsonObject c = r.config().object("config");
        assertThat(c.strings("Env")).containsExactly("A=1", "B=x y");
        assertThat(c.stringMap("Labels")).containsEntry("k", "v");
        assertThat(c.string("WorkingDir")).isEqualTo("/app");
        assertThat(c.string("User")).isEqualTo("nobody");
        assertThat(c.object("ExposedPorts").map()).containsOnlyKeys("8080/tcp", "53/udp");
        assertThat(c.object("Volumes").map()).containsOnlyKeys("/data");
        assertThat(c.string("StopSignal")).isEqualTo("SIGTERM");
        assertThat(c.strings("Entrypoint")).containsExactly("/bin/sh", "-c", "/start");
        assertThat(c.strings("Cmd")).containsExactly("/bin/bash", "-c", "echo hi");
        assertThat(c.strings("OnBuild")).containsExactly("RUN make");
        assertThat(c.object("Healthcheck").strings("Test")).containsExactly("CMD-SHELL", "curl -f x");
        assertThat(c.object("Healthcheck").number("Interval", 0)).isEqualTo(300_000_000_000L);
        assertThat(c.strings("Shell")).containsExactly("/bin/bash", "-c");
        assertThat(r.config().string("author")).isEqualTo("jo");
        assertThat(r.config().objects("history")).hasSize(14).allMatch(h -> h.bool("empty_layer"));
        assertThat(r.config().string("created")).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(r.steps().get(2).line()).isEqualTo(4);
    }

    @Test
    void entrypointClearsInheritedCmdButNotOwnCmd() {
        JsonObject base = base("{\"config\":{\"Cmd\":[\"bash\"],\"Env\":[\"PATH=/bin\"]}}");
        assertThat(eval(BuildOptions.defaults(), base, "FROM x", "ENTRYPOINT [\"e\"]").config().object("config")
                .strings("Cmd")).isNull();
        assertThat(eval(BuildOptions.defaults(), base, "FROM x", "CMD [\"c\"]", "ENTRYPOINT [\"e\"]").config()
                .object("config").strings("Cmd")).containsExactly("c");
    }

    @Test
    void envAtEachStep_andSubstitutionRules() {
        JsonObject base = base("{\"config\":{\"Env\":[\"PATH=/usr/bin:/bin\"]}}");
        StageEvaluator.Result r = eval(BuildOptions.defaults(), base, "FROM x", "ENV abc=hello",
                "ENV abc=bye def=$abc", "ENV ghi=$abc", "ENV PATH=/opt/bin:$PATH",
                "ENV lit='$abc' esc=\\$abc dq=\"${abc}!\" dflt=${nope:-d} alt=${abc:+set}",
                "RUN echo $abc", "WORKDIR /w/${abc}", "WORKDIR sub/../sub2", "LABEL \"a b\"=\"$def\"");
        assertThat(env(r.config())).containsExactly("PATH=/opt/bin:/usr/bin:/bin", "abc=bye", "def=hello", "ghi=bye",
                "lit=$abc", "esc=$abc", "dq=bye!", "dflt=d", "alt=set");
        Step run = r.steps().get(5);
        Step.Run action = (Step.Run) run.action();
        assertThat(action.argv()).containsExactly("/bin/sh", "-c", "echo $abc");
        assertThat(action.env()).contains("abc=bye", "PATH=/opt/bin:/usr/bin:/bin");
        assertThat(run.emptyLayer()).isFalse();
        assertThat(r.config().object("config").string("WorkingDir")).isEqualTo("/w/bye/sub2");
        assertThat(r.config().object("config").stringMap("Labels")).containsEntry("a b", "hello");
    }

    @Test
    void runSeesArgs_historyListsDeclaredArgsNotProxies() {
        StageEvaluator.Result r = eval(BuildOptions.defaults().withBuildArgs(
                        Map.of("B", "2", "http_proxy", "http://p:3128")), null,
                "FROM x", "ARG A=1", "ARG B", "ARG C", "RUN make", "ENV A=env", "RUN [\"make\", \"install\"]");
        Step first = r.steps().get(3);
        assertThat(first.createdBy()).isEqualTo("|2 A=1 B=2 /bin/sh -c make");
        assertThat(((Step.Run) first.action()).env()).containsExactly("A=1", "B=2", "http_proxy=http://p:3128");
        Step second = r.steps().get(5);
        assertThat(second.createdBy()).isEqualTo("|1 B=2 make install");
        assertThat(r.steps().get(0).createdBy()).isEqualTo("/bin/sh -c #(nop)  ARG A=1");
        assertThat(r.steps().get(2).createdBy()).isEqualTo("/bin/sh -c #(nop)  ARG C");
    }

    @Test
    void proxyArgsDoNotChangeTheCacheKey() {
        String[] df = {"FROM x", "RUN make"};
        String a = eval(BuildOptions.defaults(), null, df).finalKey();
        String b = eval(BuildOptions.defaults().withBuildArgs(Map.of("HTTP_PROXY", "http://p")), null, df).finalKey();
        String c = eval(BuildOptions.defaults().withBuildArgs(Map.of("HTTP_PROXY", "http://p")), null,
                "FROM x", "ARG HTTP_PROXY", "RUN make").finalKey();
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void onbuildTriggersOfTheBaseRunFirstAndAreCleared() {
        JsonObject base = base("{\"config\":{\"OnBuild\":[\"ENV FROM_PARENT=1\", \"RUN echo $FROM_PARENT\"]}}");
        StageEvaluator.Result r = eval(BuildOptions.defaults(), base, "FROM parent", "ENV MINE=2");
        assertThat(r.steps()).extracting(Step::keyword).containsExactly("ENV", "RUN", "ENV");
        assertThat(r.steps().get(0).line()).isEqualTo(1);
        assertThat(env(r.config())).containsExactly("FROM_PARENT=1", "MINE=2");
        assertThat(r.config().object("config").has("OnBuild")).isFalse();
    }

    @Test
    void errorsNameLineAndInstruction() {
        assertThatThrownBy(() -> eval("FROM x", "", "ENV A=${B:?required}"))
                .hasMessageStartingWith("Dockerfile:3: ENV: failed to process").hasMessageContaining("B: required");
        assertThatThrownBy(() -> eval("FROM x", "EXPOSE 80/foo")).hasMessage("Dockerfile:2: EXPOSE: invalid proto: foo");
        assertThatThrownBy(() -> eval("FROM x", "COPY --chmod=9 a b")).hasMessageContaining("invalid --chmod");
    }

    @Test
    void exposeRangesAndVariables() {
        StageEvaluator.Result r = eval(BuildOptions.defaults().withBuildArgs(Map.of("P", "9000")), null,
                "FROM x", "ARG P", "EXPOSE $P 7000-7002/TCP");
        assertThat(r.config().object("config").object("ExposedPorts").map())
                .containsOnlyKeys("9000/tcp", "7000/tcp", "7001/tcp", "7002/tcp");
        assertThat(List.of(r.steps().get(1).createdBy())).containsExactly(
                "/bin/sh -c #(nop)  EXPOSE 7000/tcp 7001/tcp 7002/tcp 9000/tcp");
    }
}
