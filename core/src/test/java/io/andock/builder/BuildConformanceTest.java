package io.andock.builder;

import io.andock.AndockException;
import io.andock.dockerfile.Dockerfile;
import io.andock.image.Digest;
import io.andock.json.JsonObject;
import io.andock.tar.TarWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builds small Dockerfiles through the real engine and runtime; asserts the image config and the rootfs. */
@Tag("integration")
class BuildConformanceTest {
    @TempDir
    Path tmp;

    @Test
    void metadataInstructions_setTheConfigWithoutLayers() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.dockerfile("FROM BASE", "ENV A=1 B=\"x y\"", "LABEL org.x=y", "EXPOSE 80 53/udp", "VOLUME /data",
                "WORKDIR /srv", "USER nobody", "STOPSIGNAL SIGINT", "HEALTHCHECK --interval=5s CMD true",
                "ENTRYPOINT [\"/bin/sh\"]", "CMD [\"-c\", \"echo hi\"]");
        Digest id = f.build("meta:1").imageId();
        JsonObject image = f.config(id);
        JsonObject c = image.object("config");
        assertThat(c.strings("Env")).contains("A=1", "B=x y");
        assertThat(c.stringMap("Labels")).containsEntry("org.x", "y");
        assertThat(c.object("ExposedPorts").map()).containsOnlyKeys("80/tcp", "53/udp");
        assertThat(c.object("Volumes").map()).containsOnlyKeys("/data");
        assertThat(c.string("WorkingDir")).isEqualTo("/srv");
        assertThat(c.string("User")).isEqualTo("nobody");
        assertThat(c.string("StopSignal")).isEqualTo("SIGINT");
        assertThat(c.object("Healthcheck").strings("Test")).containsExactly("CMD-SHELL", "true");
        assertThat(c.object("Healthcheck").number("Interval", 0)).isEqualTo(5_000_000_000L);
        assertThat(c.strings("Entrypoint")).containsExactly("/bin/sh");
        assertThat(c.strings("Cmd")).containsExactly("-c", "echo hi");
        JsonObject base = f.config(f.engine.images().id(f.base()));
        assertThat(image.object("rootfs").list("diff_ids")).isEqualTo(base.object("rootfs").list("diff_ids"));
        List<JsonObject> history = image.objects("history");
        assertThat(history).hasSize(base.objects("history").size() + 10);
        assertThat(history.subList(history.size() - 10, history.size())).allMatch(h -> h.bool("empty_layer"));
        assertThat(f.output).contains("Step 11/11 : CMD [\"-c\", \"echo hi\"]", "Successfully tagged meta:1");
    }

    @Test
    void runAndCopy_makeLayersOfTheirDiff() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.file("app/a.txt", "A").file("app/sub/b.txt", "B").file("conf", "c")
                .dockerfile("FROM BASE", "COPY app /opt/app", "COPY --chown=bin:www-data --chmod=640 conf /etc/conf.d/",
                        "RUN rm /bin/vi && mkdir -p /var/x && echo hi > /var/x/f && chown 1000:1000 /var/x/f",
                        "RUN true", "WORKDIR /w", "RUN pwd > here");
        Digest id = f.build("rc:1").imageId();
        Path r = f.rootfs("rc:1");
        assertThat(r.resolve("opt/app/a.txt")).hasContent("A");
        assertThat(r.resolve("opt/app/sub/b.txt")).hasContent("B");
        assertThat(r.resolve("etc/conf.d/conf")).hasContent("c");
        assertThat(Files.getAttribute(r.resolve("etc/conf.d/conf"), "unix:mode")).isEqualTo(0100640);
        assertThat(Files.getAttribute(r.resolve("etc/conf.d/conf"), "unix:uid")).isEqualTo(2);
        assertThat(Files.getAttribute(r.resolve("etc/conf.d/conf"), "unix:gid")).isEqualTo(33);
        assertThat(Files.getAttribute(r.resolve("etc/conf.d"), "unix:uid")).isEqualTo(0);
        assertThat(r.resolve("bin/vi")).doesNotExist();
        assertThat(r.resolve("w/here")).hasContent("/w");
        assertThat(f.layerEntries("rc:1", 3)).contains("bin/.wh.vi 0:0 0", "var/x/f 1000:1000 644")
                .noneMatch(e -> e.startsWith("etc/hosts") || e.startsWith("etc/resolv") || e.startsWith("proc"));
        JsonObject image = f.config(id);
        int baseLayers = f.config(f.engine.images().id(f.base())).object("rootfs").list("diff_ids").size();
        assertThat(image.object("rootfs").list("diff_ids")).hasSize(baseLayers + 4); // COPY, COPY, RUN, RUN pwd
        List<JsonObject> h = image.objects("history");
        assertThat(h.get(h.size() - 3).string("created_by")).isEqualTo("/bin/sh -c true");
        assertThat(h.get(h.size() - 3).bool("empty_layer")).isTrue(); // RUN true changed nothing
        assertThat(h.get(h.size() - 1).bool("empty_layer")).isFalse();
        assertThat(f.output).contains(" ---> Running in ", "Removing intermediate container ", "Successfully built "
                + id.hex().substring(0, 12));
    }

    @Test
    void add_extractsLocalTarsAndCopiesOtherFiles() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            TarWriter w = new TarWriter(gz);
            w.add(TarWriter.Header.of("pkg", TarWriter.Type.DIRECTORY, 0755, 0, 0, 0, 1_600_000_000), null);
            byte[] data = "inside".getBytes(StandardCharsets.UTF_8);
            w.add(TarWriter.Header.of("pkg/readme", TarWriter.Type.FILE, 0600, 0, 0, data.length, 1_600_000_000),
                    new java.io.ByteArrayInputStream(data));
            w.finish();
        }
        Files.write(f.ctx.resolve("pkg.tar.gz"), bytes.toByteArray());
        f.file("plain.txt", "p").dockerfile("FROM BASE", "ADD pkg.tar.gz /opt/", "ADD plain.txt /opt/plain.txt");
        f.build("add:1");
        Path r = f.rootfs("add:1");
        assertThat(r.resolve("opt/pkg/readme")).hasContent("inside");
        assertThat(r.resolve("opt/pkg.tar.gz")).doesNotExist();
        assertThat(r.resolve("opt/plain.txt")).hasContent("p");
    }

    @Test
    void multiStage_copiesFromAnEarlierStage_andTargetStopsEarly() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.dockerfile("FROM BASE AS builder", "RUN echo compiled > /out && chmod 755 /out",
                "FROM scratch AS runtime", "COPY --from=builder /out /app/out", "COPY --from=builder /bin/busybox /bin/sh",
                "FROM BASE", "RUN echo never > /never");
        f.build(BuildOptions.defaults().withTarget("runtime"), "ms:1");
        Path r = f.rootfs("ms:1");
        assertThat(r.resolve("app/out")).hasContent("compiled");
        assertThat(r.resolve("bin/sh")).exists();
        assertThat(r.resolve("bin/ls")).doesNotExist();
        assertThat(f.output).doesNotContain("echo never");
        JsonObject image = f.config(f.engine.images().id("ms:1"));
        assertThat(image.object("rootfs").list("diff_ids")).hasSize(2);
    }

    @Test
    void buildArgsAndDockerignore_areHonoured() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.file(".dockerignore", "secret*\n").file("secret.key", "k").file("keep", "x")
                .dockerfile("FROM BASE", "ARG V=1", "RUN echo $V > /v", "COPY . /ctx/");
        f.build(BuildOptions.defaults().withBuildArgs(Map.of("V", "2")), "args:1");
        Path r = f.rootfs("args:1");
        assertThat(r.resolve("v")).hasContent("2");
        assertThat(r.resolve("ctx/keep")).exists();
        assertThat(r.resolve("ctx/secret.key")).doesNotExist();
    }

    @Test
    void dockerignoreExceptions_reIncludePathsUnderAnExcludedDirectory() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.file(".dockerignore", "node_modules\n!node_modules/keep\n*.log\n").file("node_modules/keep/k", "k")
                .file("node_modules/drop/d", "d").file("a.log", "l").file("src", "s")
                .dockerfile("FROM BASE", "COPY . /c/");
        f.build("ign:1");
        Path r = f.rootfs("ign:1");
        assertThat(r.resolve("c/node_modules/keep/k")).hasContent("k");
        assertThat(r.resolve("c/node_modules/drop")).doesNotExist();
        assertThat(r.resolve("c/a.log")).doesNotExist();
        assertThat(r.resolve("c/src")).exists();
    }

    @Test
    void cache_hitsEveryStepOnRebuild_andAChangedSourceInvalidatesFromItsStep() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.file("a", "1").file("b", "1").dockerfile("FROM BASE", "COPY a /a", "RUN echo x > /x", "COPY b /b",
                "RUN cat /b", "CMD [\"sh\"]");
        Digest first = f.build("c:1").imageId();
        Digest second = f.build("c:1").imageId();
        assertThat(f.count(" ---> Using cache")).isEqualTo(5);
        assertThat(f.count("Running in")).isZero();
        assertThat(second).isEqualTo(first);
        f.file("b", "2");
        Digest third = f.build("c:1").imageId();
        assertThat(f.count(" ---> Using cache")).isEqualTo(2);
        assertThat(third).isNotEqualTo(first);
        assertThat(f.rootfs("c:1").resolve("b")).hasContent("2");
        f.build(BuildRequest.of(f.ctx).withTags(List.of("c:1")).withNoCache(true));
        assertThat(f.count(" ---> Using cache")).isZero();
    }

    @Test
    void runFailure_namesTheLineAndExitCode() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.dockerfile("FROM BASE", "RUN true", "RUN exit 3");
        assertThatThrownBy(() -> f.build("fail:1")).isInstanceOf(AndockException.class)
                .hasMessageStartingWith("Dockerfile:3: RUN exit 3: exit code 3");
        assertThat(f.engine.images().has("fail:1", null)).isFalse();
    }

    @Test
    void copySourceMissingOrOutsideContext_fails() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.dockerfile("FROM BASE", "COPY nothere /x");
        assertThatThrownBy(() -> f.build("e:1")).hasMessageContaining("Dockerfile:2")
                .hasMessageContaining("file not found in build context");
        f.dockerfile("FROM BASE", "COPY ../outside /x");
        assertThatThrownBy(() -> f.build("e:1")).hasMessageContaining("Dockerfile:2")
                .hasMessageContaining("outside the build context");
    }

    @Test
    void dockerfileOutsideTheContext_isAllowed() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.file("x", "x");
        Path df = Files.writeString(tmp.resolve("elsewhere.Dockerfile"), "FROM " + f.base() + "\nCOPY x /x\n");
        f.build(BuildRequest.of(f.ctx).withDockerfile(df).withTags(List.of("out:1")));
        assertThat(f.rootfs("out:1").resolve("x")).hasContent("x");
    }
}
