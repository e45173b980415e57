package io.andock.engine;

import io.andock.builder.TreeState;
import io.andock.engine.ContainerChanges.Change;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** docker diff's rules on real trees: a copy of an "image" tree changed as a container would change it. */
@Tag("unit")
class ContainerChangesTest {
    @TempDir
    Path dir;

    @Test
    void changes_addedModifiedDeleted_withParents_andRuntimeStubsLeftOut() throws Exception {
        Path image = dir.resolve("image");
        Files.createDirectories(image.resolve("etc"));
        Files.createDirectories(image.resolve("var/lib/gone/deep"));
        Files.createDirectories(image.resolve("tmp"));
        Files.writeString(image.resolve("etc/passwd"), "root\n");
        Files.writeString(image.resolve("etc/group"), "root\n");
        Files.writeString(image.resolve("var/lib/gone/deep/f"), "x");
        Path container = dir.resolve("container");
        io.andock.container.TreeCopy.copy(image, container);

        Files.writeString(container.resolve("etc/passwd"), "root\nmore\n");
        Files.delete(container.resolve("etc/group"));
        Files.writeString(container.resolve("tmp/added"), "a");
        io.andock.os.FileTrees.deleteTree(container.resolve("var/lib/gone"));
        Files.createDirectories(container.resolve("proc"));
        Files.writeString(container.resolve("etc/hostname"), "stub");
        Files.createDirectories(container.resolve("data"));
        Files.writeString(container.resolve("data/in-volume"), "v");

        Map<String, Change> c = ContainerChanges.compute(TreeState.scan(image), TreeState.scan(container),
                Set.of("proc", "etc/hostname", "data"));
        assertThat(c).containsExactly(
                Map.entry("etc", Change.MODIFIED), Map.entry("etc/group", Change.DELETED),
                Map.entry("etc/passwd", Change.MODIFIED), Map.entry("tmp", Change.MODIFIED),
                Map.entry("tmp/added", Change.ADDED), Map.entry("var", Change.MODIFIED),
                Map.entry("var/lib", Change.MODIFIED), Map.entry("var/lib/gone", Change.DELETED));
    }

    @Test
    void changes_aSameSizeRewriteIsSeenByItsTime_andAnUntouchedCopyHasNone() throws Exception {
        Path image = dir.resolve("image");
        Files.createDirectories(image.resolve("etc"));
        Files.writeString(image.resolve("etc/conf"), "aaaa");
        Files.setLastModifiedTime(image.resolve("etc/conf"), FileTime.fromMillis(1_000_000));
        Path container = dir.resolve("container");
        io.andock.container.TreeCopy.copy(image, container);
        assertThat(ContainerChanges.compute(TreeState.scan(image), TreeState.scan(container), Set.of())).isEmpty();
        Files.writeString(container.resolve("etc/conf"), "bbbb");
        assertThat(ContainerChanges.compute(TreeState.scan(image), TreeState.scan(container), Set.of()).keySet())
                .containsExactly("etc", "etc/conf");
    }

    @Test
    void scan_listsAMountPoint_withoutEnteringIt() throws Exception {
        Files.createDirectories(dir.resolve("proc/1"));
        Files.writeString(dir.resolve("proc/1/status"), "host's");
        Files.createDirectories(dir.resolve("etc"));
        assertThat(TreeState.scan(dir, Set.of("proc")::contains).nodes().keySet()).containsExactly("etc", "proc");
    }

    @Test
    void layerEntries_whiteOutDeletions_inTheirDirectory() {
        Map<String, Change> c = new java.util.TreeMap<>(Map.of("etc", Change.MODIFIED, "etc/group", Change.DELETED,
                "gone", Change.DELETED, "tmp/x", Change.ADDED));
        assertThat(List.copyOf(ContainerSnapshots.layerEntries(c).entrySet())).containsExactly(
                Map.entry(".wh.gone", false), Map.entry("etc", true), Map.entry("etc/.wh.group", false),
                Map.entry("tmp/x", true));
    }
}
