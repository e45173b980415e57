package io.andock.container;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.image.ImageConfig;
import io.andock.image.Platform;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The testkit's busybox images unpacked by the real {@code umoci unpack} (never by andock), once per JVM, and an
 * {@link ImageResolver} over them: {@code busybox} / {@code busybox:latest}, {@code busybox:configured},
 * {@code busybox:arm64}; {@code --platform linux/arm64} picks the arm64 one.
 */
public final class TestImages implements ImageResolver {
    private static final Map<String, ResolvedImage> CACHE = new ConcurrentHashMap<>();
    private final Path dir;

    public TestImages(Path dir) {
        this.dir = dir;
    }

    /** Images unpacked under {@code /var/tmp/andock-runtime-test-images} (shared by the tests of one JVM). */
    public static TestImages shared() {
        Fixtures.assumeAvailable();
        return new TestImages(Path.of("/var/tmp/andock-runtime-test-images"));
    }

    @Override
    public ResolvedImage resolve(String ref, Platform platform) {
        String tag = ref.contains(":") ? ref.substring(ref.indexOf(':') + 1) : "latest";
        String repo = ref.contains(":") ? ref.substring(0, ref.indexOf(':')) : ref;
        if (!repo.equals("busybox")) throw AndockException.notFound("No such image: " + ref);
        if (platform != null && platform.architecture().equals("arm64")) tag = "arm64";
        String t = tag;
        return CACHE.computeIfAbsent(dir + "/" + t, k -> unpack(repo + ":" + t, t));
    }

    /** Unpacks (once) with umoci and keeps the image config beside the rootfs, so other processes need no testkit. */
    private synchronized ResolvedImage unpack(String name, String tag) {
        Path out = dir.resolve(tag);
        try {
            if (!Files.isRegularFile(out.resolve("image-config.json"))) {
                Path layout = Fixtures.layout("busybox");
                Path tmp = dir.resolve(tag + ".tmp" + ProcessHandle.current().pid());
                Cmd.exec("rm", "-rf", tmp.toString());
                Files.createDirectories(dir);
                Cmd.exec("umoci", "unpack", "--image", layout + ":" + tag, tmp.toString()).check();
                Map<String, Object> manifest = Fixtures.manifest("busybox", tag);
                String configDigest = Json.at(manifest, "config", "digest");
                Files.write(tmp.resolve("image-config.json"), Fixtures.blob("busybox", configDigest));
                Files.writeString(tmp.resolve("image-id"), configDigest);
                Cmd.exec("chmod", "755", tmp.toString(), dir.toString()).check();
                if (!Cmd.exec("mv", "-T", tmp.toString(), out.toString()).ok()) Cmd.exec("rm", "-rf", tmp.toString());
            }
            return new ResolvedImage(name, Digest.parse(Files.readString(out.resolve("image-id")).trim()),
                    ImageConfig.parse(Files.readAllBytes(out.resolve("image-config.json"))), out.resolve("rootfs"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
