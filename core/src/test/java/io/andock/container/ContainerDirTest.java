package io.andock.container;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The container directory's layout: every file in the directory, none shared, the bundle's spec inside the bundle. */
@Tag("unit")
class ContainerDirTest {
    final ContainerDir dir = new ContainerDir(Path.of("/r/containers/abc"));

    List<Path> files() {
        return new ArrayList<>(List.of(dir.config(), dir.state(), dir.imageUse(), dir.owner(), dir.pendingName(),
                dir.rootfs(), dir.overlayUpper(), dir.overlayWork(), dir.bundle(), dir.hostname(), dir.hosts(),
                dir.resolvConf(), dir.pid(), dir.exit(), dir.stdinFifo(), dir.tty(), dir.log(), dir.execs(), dir.net(),
                dir.execTty("1f")));
    }

    @Test
    void everyFile_isDirectlyInTheDirectory_andHasANameOfItsOwn() {
        for (Path f : files()) assertThat(f.getParent()).as(f.toString()).isEqualTo(dir.path());
        assertThat(new HashSet<>(files().stream().map(Path::getFileName).toList())).hasSize(files().size());
    }

    @Test
    void bundleSpec_isTheBundlesConfig_notTheContainersRecord() {
        assertThat(dir.bundleSpec().getParent()).isEqualTo(dir.bundle());
        assertThat(dir.bundleSpec()).isNotEqualTo(dir.config());
        assertThat(ContainerDir.bundleSpec(Path.of("/b"))).isEqualTo(Path.of("/b/config.json"));
    }

    @Test
    void execFiles_areUnderExecs_andEtcFilesAreTheThreeBoundOverTheImage() {
        assertThat(dir.exec(42)).isEqualTo(dir.execs().resolve("42"));
        assertThat(dir.etcFiles()).containsExactly(dir.hostname(), dir.hosts(), dir.resolvConf());
        assertThat(dir.execTty("a")).isNotEqualTo(dir.execTty("b"));
    }

    @Test
    void theStoreHandsOutDirectoriesOnlyForWellFormedIds() {
        ContainerStore store = new ContainerStore(Path.of("/r"));
        String id = "a".repeat(64);
        assertThat(store.dir(id)).isEqualTo(new ContainerDir(Path.of("/r/containers/" + id)));
        for (String bad : List.of("../x", "a".repeat(63), "A".repeat(64), "", "a".repeat(63) + "/")) {
            assertThatThrownBy(() -> store.dir(bad)).as(bad).isInstanceOf(io.andock.AndockException.class);
        }
    }
}
