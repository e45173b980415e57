package io.andock.builder;

import io.andock.dockerfile.Dockerfile;
import io.andock.json.JsonObject;
import io.andock.os.HostTools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --platform linux/arm64} on an x86_64 host: base resolved for arm64, RUN through proot + qemu-user. */
@Tag("integration")
class BuildPlatformTest {
    @TempDir
    Path tmp;

    @Test
    void foreignPlatform_runsStepsUnderProotWithQemu() throws Exception {
        Assumptions.assumeTrue(HostTools.find("proot") != null && HostTools.find("qemu-aarch64-static") != null,
                "needs proot and qemu-aarch64-static");
        BuildFixture f = new BuildFixture(tmp);
        f.file("Dockerfile", "FROM " + f.registry.ref("busybox:multiarch") + "\nRUN uname -m > /arch\n");
        f.build(BuildFixture.platform("linux/arm64"), "arm:1");
        JsonObject image = f.config(f.engine.images().id("arm:1"));
        assertThat(image.string("architecture")).isEqualTo("arm64");
        assertThat(f.rootfs("arm:1").resolve("arch")).hasContent("aarch64");
    }
}
