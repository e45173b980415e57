package io.andock.driver.oci;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Rootless: runc started as {@code nobody} (setpriv) with a spec from {@link LinuxSpec} mapping nobody to root in a
 * user namespace, no cgroups. Needs root to switch user, and unprivileged user namespaces.
 */
class RootlessRuncTest {
    static final long NOBODY = 65534;
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        Fixtures.assumeAvailable();
        assumeTrue(RuntimeProbe.which("runc") != null && RuntimeProbe.which("setpriv") != null, "runc and setpriv needed");
        assumeTrue(Cmd.exec("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "unshare", "-U", "true").ok(),
                "unprivileged user namespaces are disabled");
        dir = Files.createTempDirectory(Path.of("/tmp"), "andock-rootless");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void tearDown() {
        if (dir != null) Cmd.exec("rm", "-rf", dir.toString());
    }

    @Test
    void rootless_runsAsMappedRoot_withOwnNetwork_andNoCgroups() {
        OciRuntime rt = new OciRuntime("runc", RuntimeProbe.which("runc"), dir.resolve("state"), false);
        List<IdMapping> m = List.of(new IdMapping(0, NOBODY, 1));
        OciDriver driver = new OciDriver(rt, false, new Rootless.Mappings(m, m));
        Path b = Bundles.write(dir.resolve("rl"), driver, "latest",
                List.of("sh", "-c", "id -u; cat /proc/self/uid_map; ip -o link | wc -l; grep CapEff /proc/self/status"),
                false, Bundles.flags().networkMode("none"));
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "env", "HOME=" + dir, "XDG_RUNTIME_DIR=" + dir));
        argv.addAll(driver.runCommand(b, "rl"));
        Cmd.Result r = Cmd.exec(argv);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<String> out = r.stdout().lines().map(String::strip).toList();
        assertThat(out.get(0)).isEqualTo("0");
        assertThat(out.get(1)).matches("0\\s+65534\\s+1");
        assertThat(out.get(2)).isEqualTo("1");
        assertThat(out.get(3)).endsWith("00000000a80425fb");
    }
}
