package io.andock.cli;

import io.andock.testkit.AndroidSim;
import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code andock info} runs proot and says what it found: whether it works (some phones' kernels break ptrace) and
 * whether hard links work in proot containers (Android refuses link(2) to apps; proot's {@code --link2symlink},
 * which the driver passes where proot has it, emulates them). Real proot; a stand-in only for a broken one.
 */
class CliProotCheckTest {
    @TempDir
    Path tmp;

    static boolean prootHasLink2symlink() {
        return Cmd.exec("proot", "--help").stdout().contains("--link2symlink");
    }

    @Test
    @Tag("host")
    void info_onThisHost_prootWorks_andHardLinksWork() {
        assumeTrue(Cmd.exec("sh", "-c", "command -v proot").ok(), "no proot on PATH: skipped");
        Andock andock = new Andock(tmp.resolve("root"));
        String info = andock.ok("info");
        assertThat(info).containsPattern("\nProot: \\S+/proot, works \\(fake root\\)")
                .containsPattern("\nHard Links In Proot Containers: yes(, emulated by proot --link2symlink)?\n");
        assertThat(andock.ok("info", "--format", "{{.Proot.Works}} {{.Proot.HardLinks}}")).isEqualTo("true true\n");
    }

    @Test
    @Tag("unit")
    void info_prootThatCannotTrace_isReportedInOneLine_andInfoStillWorks() throws Exception {
        // what proot prints on a kernel that refuses ptrace
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path proot = bin.resolve("proot");
        Files.writeString(proot, String.join("\n", "#!/bin/sh",
                "[ \"$1\" = --help ] && { echo 'Usage: proot [option] ... [command]'; exit 0; }",
                "echo 'proot error: ptrace(TRACEME): Operation not permitted' >&2",
                "echo 'fatal error: see `proot --help`.' >&2",
                "exit 1", ""));
        Files.setPosixFilePermissions(proot, PosixFilePermissions.fromString("rwxr-xr-x"));
        Andock andock = new Andock(tmp.resolve("root"), Map.of("PATH", bin + ":/usr/bin:/bin"));
        String info = andock.ok("--driver", "proot", "info");
        assertThat(info).contains("\nProot: " + proot + ", does not work here: fake root failed: "
                + "proot error: ptrace(TRACEME): Operation not permitted\n",
                "\nHard Links In Proot Containers: unknown (proot does not work)\n");
    }

    @Test
    @Tag("unit")
    void info_withoutProot_saysSo() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("empty-bin"));
        for (String tool : new String[]{"sh", "env", "id"}) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(Cmd.run("sh", "-c", "command -v " + tool).strip()));
        }
        Andock andock = new Andock(tmp.resolve("root"), Map.of("PATH", bin.toString()));
        // (with no driver at all, info still prints its report, then fails: not this test's business)
        assertThat(andock.run("info").stdout()).contains("\nProot: not found\n");
    }

    @Test
    @Tag("android")
    void info_asAnUnrootedApp_saysWhetherHardLinksWork() throws Exception {
        Path sim = AndroidSim.runAsApp();
        assumeTrue(Files.isExecutable(sim), "no Android simulator (shared/android-sim): skipped");
        AndroidApp app = new AndroidApp(tmp.resolve("phone"));
        app.ownAll();
        Cmd.Result r = Cmd.exec(sim.toString(), "--data", app.data().toString(), "--", "sh", "-c", app.command() + " info");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        if (prootHasLink2symlink()) {
            assertThat(r.stdout()).contains("\nHard Links In Proot Containers: yes, emulated by proot --link2symlink\n");
        } else {
            // the simulator refuses link(2) as Android's SELinux does; Debian's proot 5.1 cannot help
            assertThat(r.stdout()).contains("\nHard Links In Proot Containers: no: ln: failed to create hard link 'b' => 'a': "
                    + "Permission denied; this proot has no --link2symlink");
        }
    }

    @Test
    @Tag("android")
    void hardLinkInAContainer_asAnUnrootedApp_withLink2symlink() throws Exception {
        Path sim = AndroidSim.runAsApp();
        assumeTrue(Files.isExecutable(sim), "no Android simulator (shared/android-sim): skipped");
        assumeTrue(prootHasLink2symlink(), "this proot has no --link2symlink (Debian's 5.1; Termux's has it): "
                + "hard links in containers cannot work under the simulator, skipped");
        Fixtures.assumeAvailable();
        String image = TestRegistry.shared().host() + "/busybox:latest";
        AndroidApp app = new AndroidApp(tmp.resolve("phone"));
        app.ownAll();
        String script = app.command() + " run --rm " + image + " sh -c 'echo x > /f && ln /f /g && cat /g && echo linked'";
        Cmd.Result r = Cmd.exec(sim.toString(), "--data", app.data().toString(), "--", "sh", "-c", script);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("x\nlinked\n");
    }
}
