package io.andock.container;

import io.andock.os.HostTools;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A container being removed ({@code .trash-ID}: every remover unmounts it before the rename; the monitor of a
 * {@code --rm} container deletes its files after the run has returned) holds its image only while something is
 * still mounted below it: an rmi or gc right after {@code run --rm} is not refused by the files the delete has not
 * reached yet, and never deletes a snapshot a mount that would not go still sits on.
 */
class RemovalUnderWayTest {
    static final String IMAGE = "sha256:" + "ab".repeat(32);

    @TempDir
    Path root;

    private Path trash(String id, Path snapshot) throws Exception {
        Path t = Files.createDirectories(root.resolve("containers/.trash-" + id));
        ContainerDir d = new ContainerDir(t);
        Files.createDirectories(d.rootfs());
        ContainerStore.writeImageUse(d, IMAGE, snapshot.toString());
        return t;
    }

    @Test
    void trashWithNothingMounted_holdsNoImage() throws Exception {
        Path snapshot = Files.createDirectories(root.resolve("snapshots/s1"));
        trash("c".repeat(64), snapshot);
        assertThat(new ContainerStore(root).imageUses()).isEmpty();
    }

    @Test
    void trashStillMounted_holdsItsImage_untilUnmounted() throws Exception {
        assumeTrue(HostTools.isRoot() && ContainerRootfs.overlayPossible(), "needs root and overlay: skipped");
        Path snapshot = Files.createDirectories(root.resolve("snapshots/s1"));
        Files.writeString(snapshot.resolve("f"), "x");
        ContainerDir d = new ContainerDir(trash("d".repeat(64), snapshot));
        Files.createDirectories(d.overlayUpper());
        Files.createDirectories(d.overlayWork());
        Cmd.run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + snapshot + ",upperdir=" + d.overlayUpper()
                + ",workdir=" + d.overlayWork(), d.rootfs().toString());
        try {
            // a mount that would not go: the image is held while it stays
            assertThat(new ContainerStore(root).imageUses()).extracting(ImageUse::imageId).containsExactly(IMAGE);
            Cmd.run("umount", d.rootfs().toString());
            assertThat(new ContainerStore(root).imageUses()).isEmpty();
        } finally {
            if (ContainerRootfs.isMounted(d.rootfs())) ContainerRootfs.unmount(d.rootfs());
        }
        assertThat(Files.readString(snapshot.resolve("f"))).isEqualTo("x");
    }
}
