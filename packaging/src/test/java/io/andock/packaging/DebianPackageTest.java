package io.andock.packaging;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Debian package as a user gets it: {@code apt install ./andock_…_all.deb}, then {@code andock} from /usr/bin
 * with no checkout around (a clean environment, an empty directory); an upgrade and a removal keep the images and
 * containers. The package is removed again at the end, so the machine is left as it was.
 */
@Tag("host")
class DebianPackageTest {

    @Test
    void aptInstall_runsAContainer_upgradeAndRemoveKeepTheStore(@TempDir Path tmp) throws Exception {
        assumeTrue(Cmd.run("id", "-u").strip().equals("0"), "apt install needs root: skipped");
        assumeTrue(!installed(), "a package named andock is installed on this machine: not replacing it, skipped");
        Fixtures.assumeAvailable();
        String image = TestRegistry.shared().host() + "/busybox:latest";
        Packages v1 = Packages.of("0.2.0"), v2 = Packages.of("0.2.1");
        Path root = tmp.resolve("store"), home = Files.createDirectories(tmp.resolve("home"));
        try {
            apt("install", v1.debian);
            assertThat(Cmd.run("dpkg-query", "-W", "-f", "${Version}", "andock")).isEqualTo("0.2.0");
            assertThat(Cmd.run("readlink", "-f", "/usr/bin/andock").strip()).isEqualTo("/usr/bin/andock");

            assertThat(andock(tmp, home, "--root", root.toString(), "pull", "-q", image).check().stdout()).contains(image);
            assertThat(andock(tmp, home, "--root", root.toString(), "run", "--rm", image, "echo", "hi from usr/bin").check().stdout())
                    .isEqualTo("hi from usr/bin\n");
            andock(tmp, home, "--root", root.toString(), "create", "--name", "kept", image, "true").check();
            List<String> store = tree(root);

            apt("install", v2.debian);
            assertThat(Cmd.run("dpkg-query", "-W", "-f", "${Version}", "andock")).isEqualTo("0.2.1");
            assertThat(andock(tmp, home, "--root", root.toString(), "ps", "-a", "--format", "{{.Names}}").check().stdout()).isEqualTo("kept\n");
            assertThat(andock(tmp, home, "--root", root.toString(), "images", "--format", "{{.Repository}}").check().stdout())
                    .isEqualTo(TestRegistry.shared().host() + "/busybox\n");

            apt("remove", null);
            assertThat(installed()).isFalse();
            assertThat(Path.of("/usr/bin/andock")).doesNotExist();
            assertThat(Path.of("/usr/share/andock")).doesNotExist();
            assertThat(tree(root)).containsAll(store);
        } finally {
            if (installed()) apt("purge", null);
            // the kept container's rootfs may be a mount: the checkout's jar takes it down (the store outlived the package)
            if (Files.isDirectory(root)) {
                Cmd.exec("java", "-jar", Packages.jar().toString(), "--root", root.toString(), "rm", "-f", "kept");
            }
        }
    }

    /** apt-get as a user types it ({@code ./file.deb}), waiting for a dpkg lock another process holds. */
    static void apt(String action, Path deb) {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-y", "-q", "-o", "DPkg::Lock::Timeout=600", action));
        if (deb != null) cmd.addAll(List.of("--no-install-recommends", "./" + deb.getFileName()));
        else cmd.add("andock");
        String dir = deb == null ? "/" : deb.getParent().toString();
        List<String> sh = new ArrayList<>(List.of("sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", dir));
        sh.addAll(cmd);
        Cmd.exec(sh, java.util.Map.of("DEBIAN_FRONTEND", "noninteractive")).check();
    }

    static boolean installed() {
        return Cmd.exec("dpkg-query", "-W", "-f", "${Status}", "andock").stdout().contains("install ok installed");
    }

    /** /usr/bin/andock in an empty directory with a clean environment (its own HOME, so its own cache). */
    static Cmd.Result andock(Path cwd, Path home, String... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", cwd.toString(),
                "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + home, "LANG=C.UTF-8", "/usr/bin/andock"));
        cmd.addAll(List.of(args));
        return Cmd.exec(cmd);
    }

    /** Every file and directory under {@code root}, relative. */
    static List<String> tree(Path root) {
        return Cmd.run("find", root.toString(), "-mindepth", "1", "-printf", "%P\\n").lines().sorted().toList();
    }
}
