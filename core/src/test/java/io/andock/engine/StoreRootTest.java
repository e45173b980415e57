package io.andock.engine;

import io.andock.os.HostTools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The store is not traversable by other users: made so on a fresh start, corrected on an old 0755 root. */
class StoreRootTest {
    @TempDir
    Path tmp;

    private static int mode(Path p) throws Exception {
        return StoreRoot.mode(p);
    }

    private void assertPrivate(Path root) throws Exception {
        assertThat(Integer.toOctalString(mode(root))).isEqualTo("710");
        for (String t : StoreRoot.TREES) assertThat(Integer.toOctalString(mode(root.resolve(t)))).as(t).isEqualTo("700");
    }

    @Test
    @Tag("unit")
    void freshStart_makesRoot0710_andTrees0700() throws Exception {
        Path root = tmp.resolve("a/root");
        Engine.open(EngineConfig.of(root, tmp.resolve("config")));
        assertPrivate(root);
    }

    @Test
    @Tag("unit")
    void openRoot0755_isCorrected_atTheNextStart() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        for (String t : StoreRoot.TREES) Files.createDirectories(root.resolve(t));
        Files.setAttribute(root, "unix:mode", 0755);
        for (String t : StoreRoot.TREES) Files.setAttribute(root.resolve(t), "unix:mode", 0755);
        Engine.open(EngineConfig.of(root, tmp.resolve("config")));
        assertPrivate(root);
        Files.setAttribute(root, "unix:mode", 0777);
        Engine.open(EngineConfig.of(root, tmp.resolve("config")));
        assertPrivate(root);
    }

    @Test
    @Tag("unit")
    void treesMadeLaterOrByAnOlderAndock_are0700_thoughTheRootIsAlready0710() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.setAttribute(root, "unix:mode", 0710);
        Files.createDirectories(root.resolve("tmp"));
        Files.setAttribute(root.resolve("tmp"), "unix:mode", 0755);
        Files.createDirectories(root.resolve("build-work"));
        Files.setAttribute(root.resolve("build-work"), "unix:mode", 0777);
        Engine.open(EngineConfig.of(root, tmp.resolve("config")));
        assertPrivate(root);
        assertThat(StoreRoot.TREES).contains("tmp", "build-work", "runtime");
    }

    @Test
    @Tag("host")
    void setuidBinaryInASnapshot_isUnreachableForOtherUsers() throws Exception {
        Assumptions.assumeTrue(HostTools.isRoot(), "needs root: makes a setuid-root file and switches to nobody");
        Path src = Files.createDirectories(tmp.resolve("src/bin"));
        Files.copy(Path.of("/bin/true"), src.resolve("suid"));
        Files.setAttribute(src.resolve("suid"), "unix:mode", 04755);
        Path tar = tmp.resolve("rootfs.tar");
        assertThat(new ProcessBuilder("tar", "--numeric-owner", "-cf", tar.toString(), "-C", tmp.resolve("src").toString(), ".")
                .inheritIO().start().waitFor()).isZero();
        Files.setAttribute(tmp, "unix:mode", 0755); // the temp dir itself lets nobody through: only the store may stop it
        Path root = tmp.resolve("root");
        Engine engine = Engine.open(EngineConfig.of(root, tmp.resolve("config")));
        engine.transfers().importRootfs(tar, "suid:1");
        Path suid;
        try (Stream<Path> s = Files.walk(root.resolve("snapshots"))) {
            suid = s.filter(p -> p.getFileName().toString().equals("suid")).findFirst().orElse(null);
        }
        Assumptions.assumeTrue(suid != null, "import unpacked no snapshot");
        assertThat((Integer) Files.getAttribute(suid, "unix:mode") & 04000).isNotZero();

        for (List<String> probe : List.of(List.of("stat", suid.toString()), List.of("sh", "-c", "exec " + suid),
                List.of("ls", root.toString()), List.of("stat", root.resolve("snapshots").toString()))) {
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"));
            cmd.addAll(probe);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(String.join(" ", probe) + ": " + out).isNotZero();
            assertThat(out).as(String.join(" ", probe)).containsIgnoringCase("permission denied");
        }
    }
}
