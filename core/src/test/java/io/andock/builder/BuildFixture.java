package io.andock.builder;

import io.andock.dockerfile.Dockerfile;
import io.andock.engine.Engine;
import io.andock.engine.EngineConfig;
import io.andock.image.Digest;
import io.andock.image.Platform;
import io.andock.json.JsonObject;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An engine on a temporary root, a build context directory, and the shared test registry's busybox as base
 * ({@code BASE} in Dockerfiles is replaced by its reference).
 */
final class BuildFixture {
    final Path root;
    final Path ctx;
    final Engine engine;
    final TestRegistry registry;
    String output = "";

    BuildFixture(Path tmp) throws IOException {
        Fixtures.assumeAvailable();
        registry = TestRegistry.shared();
        root = tmp.resolve("root");
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        engine = Engine.open(EngineConfig.of(root, tmp.resolve("config")));
    }

    String base() {
        return registry.ref("busybox:latest");
    }

    BuildFixture file(String rel, String content) throws IOException {
        Path p = ctx.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return this;
    }

    BuildFixture dockerfile(String... lines) throws IOException {
        return file("Dockerfile", String.join("\n", lines).replace("BASE", base()) + "\n");
    }

    BuildResult build(String... tags) {
        return build(BuildRequest.of(ctx).withTags(List.of(tags)));
    }

    BuildResult build(BuildRequest req) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            return engine.images().build(req, out);
        } finally {
            output = out.toString(StandardCharsets.UTF_8);
        }
    }

    BuildResult build(BuildOptions o, String... tags) {
        return build(BuildRequest.of(ctx).withTags(List.of(tags)).withOptions(o));
    }

    static BuildOptions platform(String p) {
        return BuildOptions.defaults().withPlatforms(Platform.parse(p), null);
    }

    int count(String s) {
        int n = 0;
        for (int i = output.indexOf(s); i >= 0; i = output.indexOf(s, i + 1)) n++;
        return n;
    }

    JsonObject config(Digest id) throws IOException {
        return JsonObject.parse(Files.readAllBytes(root.resolve("content/blobs/sha256").resolve(id.hex())));
    }

    JsonObject runConfig(Digest id) throws IOException {
        return config(id).object("config");
    }

    /** The entry names of the image's layer {@code index} (negative: from the top), as written. */
    List<String> layerEntries(String ref, int index) throws IOException {
        io.andock.engine.ImageDetails d = engine.images().inspect(ref);
        JsonObject m = JsonObject.parse(Files.readAllBytes(blob(d.manifest())));
        List<JsonObject> layers = m.objects("layers");
        JsonObject l = layers.get(index < 0 ? layers.size() + index : index);
        List<String> out = new java.util.ArrayList<>();
        try (var in = io.andock.snapshot.Decompression.open(Files.newInputStream(blob(Digest.parse(l.string("digest")))),
                io.andock.image.MediaTypes.Compression.DETECT)) {
            io.andock.tar.TarReader r = new io.andock.tar.TarReader(in);
            for (io.andock.tar.TarEntry e; (e = r.next()) != null; ) {
                out.add(e.name() + (e.type() == io.andock.tar.TarEntry.Type.DIRECTORY ? "/" : "")
                        + " " + e.uid() + ":" + e.gid() + " " + Integer.toOctalString(e.mode())
                        + (e.linkName().isEmpty() ? "" : " -> " + e.linkName()));
            }
        }
        return out;
    }

    Path blob(Digest d) {
        return root.resolve("content/blobs/sha256").resolve(d.hex());
    }

    Path rootfs(String ref) {
        return engine.images().rootfs(ref);
    }
}
