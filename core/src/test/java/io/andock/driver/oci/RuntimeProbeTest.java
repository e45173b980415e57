package io.andock.driver.oci;

import io.andock.json.JsonObject;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The probe against the real runtimes of this machine. */
class RuntimeProbeTest {

    @Test
    void choose_findsAWorkingRuntimeWithCgroups_andCachesItForThisBoot(@TempDir Path root) throws Exception {
        Fixtures.assumeAvailable();
        assumeTrue(RuntimeProbe.which("runc") != null || RuntimeProbe.which("crun") != null, "no runtime installed");
        RuntimeProbe.Choice c = RuntimeProbe.choose(root);
        assertThat(c.cgroups()).as(c.reason()).isTrue();
        JsonObject cache = JsonObject.parse(Files.readAllBytes(root.resolve("runtime/oci-probe.json")));
        assertThat(cache.string("BootId")).isEqualTo(RuntimeProbe.bootId());
        assertThat(cache.string("Runtime")).isEqualTo(c.runtime().name());
        long t0 = System.nanoTime();
        assertThat(RuntimeProbe.choose(root)).isEqualTo(c);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(100);
        assertThat(OciDriver.detect(root).features().cgroups()).isTrue();
        try (var s = Files.list(root.resolve("runtime"))) {   // probe bundles are removed
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("andock-probe"));
        }
    }

    @Test
    void crun_onAHybridLayout_needsTheUnifiedMountHidden(@TempDir Path dir) {
        Fixtures.assumeAvailable();
        Path crun = RuntimeProbe.which("crun");
        assumeTrue(crun != null && RuntimeProbe.hybridCgroups(), "crun on a hybrid cgroup layout");
        byte[] exe = ProbeBinary.forArch(SeccompProfile.goArch(System.getProperty("os.arch")));
        assumeTrue(exe != null);
        String plain = RuntimeProbe.tryRun(new OciRuntime("crun", crun, dir.resolve("s1"), false), exe, dir, true, true);
        String hidden = RuntimeProbe.tryRun(new OciRuntime("crun", crun, dir.resolve("s2"), true), exe, dir, true, true);
        assertThat(hidden).isNull();
        // crun 1.8 refuses hybrid mode; a later crun may not: then both work
        if (plain != null) assertThat(plain).contains("hybrid");
    }
}
