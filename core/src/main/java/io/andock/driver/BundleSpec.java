package io.andock.driver;

import io.andock.container.ContainerDir;
import io.andock.container.OciMount;
import io.andock.container.OciSpecs;
import io.andock.container.ProcessSpec;
import io.andock.os.HostTools;
import io.andock.AndockException;
import io.andock.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a bundle's {@code config.json} the proot and chroot drivers translate: root path, mounts, process,
 * and the platform annotation. Kernel filesystems the drivers replace by binds are recognised by destination.
 */
record BundleSpec(Path rootfs, List<OciMount> mounts, ProcessSpec process, String platform) {

    static BundleSpec read(Path bundle) {
        try {
            JsonObject spec = JsonObject.parse(Files.readAllBytes(ContainerDir.bundleSpec(bundle)));
            String root = spec.object("root").string("path", "rootfs");
            Path rootfs = root.startsWith("/") ? Path.of(root) : bundle.resolve(root);
            List<OciMount> mounts = new ArrayList<>();
            for (JsonObject m : spec.objects("mounts")) mounts.add(OciMount.fromJson(m));
            return new BundleSpec(rootfs, mounts, ProcessSpec.fromJson(spec.object("process")),
                    spec.object("annotations").string(OciSpecs.PLATFORM_ANNOTATION));
        } catch (IOException e) {
            throw AndockException.wrap("read bundle " + bundle, e);
        }
    }

    /** The dir standing in for a tmpfs at {@code destination} for drivers that cannot mount ({@code <bundle>/tmpfs/...}). */
    static Path tmpfsDir(Path bundle, String destination) throws IOException {
        Path d = bundle.resolve("tmpfs").resolve(destination.substring(1).replace('/', '_'));
        if (!Files.isDirectory(d)) {
            Files.createDirectories(d);
            Files.setAttribute(d, "unix:mode", 01777);
        }
        return d;
    }

    /** The qemu-user binary for the image's CPU when it differs from the host's, else null. */
    String qemu() {
        if (platform == null) return null;
        io.andock.image.Platform want = io.andock.image.Platform.parse(platform);
        if (want.architecture().equals(io.andock.image.Platform.host().architecture())) return null;
        String arch = switch (want.architecture()) {
            case "arm64" -> "aarch64";
            case "amd64" -> "x86_64";
            case "386" -> "i386";
            default -> want.architecture();
        };
        String q = HostTools.find("qemu-" + arch + "-static");
        if (q == null) q = HostTools.find("qemu-" + arch);
        if (q == null) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED, "the image is for " + platform
                    + ": install qemu-user-static (qemu-" + arch + "-static) to run it here");
        }
        return q;
    }
}
