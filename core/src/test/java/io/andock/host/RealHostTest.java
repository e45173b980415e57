package io.andock.host;

import io.andock.os.CommandRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real probe of the machine the tests run on. The reference machine is Debian 12 as root with runc, crun and
 * proot installed and a hybrid cgroup layout: oci with runc. Elsewhere the machine-specific asserts are skipped.
 */
@Tag("host")
class RealHostTest {

    private final List<List<String>> spawns = new ArrayList<>();
    private final CommandRunner counting = (argv, timeout) -> {
        spawns.add(argv);
        return CommandRunner.system().run(argv, timeout);
    };

    @Test
    void quickProbe_ofThisMachine() {
        long t0 = System.nanoTime();
        HostInfo h = new HostProbe(HostFs.real(), counting, null).quick();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(HostReport.of(h, Optional.empty()).toText() + "(quick probe: " + millis + " ms, "
                + spawns.size() + " spawns)");
        assertThat(h.kernel().known()).isTrue();
        assertThat(h.architecture()).isNotBlank();
        assumeTrue(h.root() && h.process().seccompMode() == 0, "not root without seccomp: the rest is for the reference machine");
        assertThat(spawns).as("root without seccomp needs no process").isEmpty();
        assertThat(h.android().android()).isFalse();
        assertThat(h.namespaces().isYes()).isTrue();
        assumeTrue(h.operatingSystem().startsWith("Debian") && h.binaries().has("runc"), "not the Debian reference machine");
        DriverChoice c = DriverChooser.choose(h);
        assertThat(c.driver()).isEqualTo(DriverKind.OCI);
        assertThat(c.rootless()).isFalse();
        if (h.cgroups().version() == CgroupInfo.Version.HYBRID) assertThat(c.runtime()).isEqualTo("runc");
        assertThat(DriverChooser.choose(h, Optional.of("proot")).driver()).isEqualTo(DriverKind.PROOT);
    }

    @Test
    void fullProbe_ofThisMachine_mountsOverlayAndReadsVersions(@TempDir Path scratch, @TempDir Path cache) {
        HostInfo h = new HostProbe(HostFs.real(), counting, cache).full(scratch);
        System.out.println(HostReport.of(h, Optional.empty()).toText());
        assumeTrue(h.root() && h.binaries().has("runc") && h.binaries().has("unshare"), "needs root, runc and unshare");
        assertThat(h.binaries().versions().get("runc")).matches("\\d+\\.\\d+.*");
        if (h.overlay().isYes()) assertThat(h.overlayMount().isYes()).as(h.overlayMount().reason()).isTrue();
        int before = spawns.size();
        new HostProbe(HostFs.real(), counting, cache).full(scratch);
        assertThat(spawns.subList(before, spawns.size())).as("versions come from the cache")
                .noneMatch(a -> a.contains("--version"));
    }
}
