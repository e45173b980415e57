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
 * A container being removed ({@code .trash-ID}: the monitor of a {@code --rm} container unmounts it, renames it and
 * deletes its files after the run has returned; a remover killed half-way leaves one) holds its image only while its
 * overlay rootfs is still mounted on the snapshot: an rmi or gc right after {@code run --rm} is not refused by the
 * files the delete has not reached yet, waits a moment for a remover that is unmounting, and never deletes a
 * mounted snapshot.
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
        long t0 = System.nanoTime();
        assertThat(new ContainerStore(root).imageUses()).isEmpty();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("no wait without a mount").isLessThan(ContainerStore.UNMOUNT_WAIT_MILLIS);
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
            // a mount that stays: the image is held once the wait is over
            List<ImageUse> held = new ContainerStore(root).imageUses();
            assertThat(held).extracting(ImageUse::imageId).containsExactly(IMAGE);

            // unmounted a moment later, as the monitor does after `run --rm`: the wait sees it go, the image is free
            Process later = new ProcessBuilder("sh", "-c", "sleep 0.3; umount \"$0\"", d.rootfs().toString()).start();
            long t0 = System.nanoTime();
            assertThat(new ContainerStore(root).imageUses()).isEmpty();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(200L, ContainerStore.UNMOUNT_WAIT_MILLIS);
            assertThat(later.waitFor()).isZero();
        } finally {
            if (ContainerRootfs.isMounted(d.rootfs())) ContainerRootfs.unmount(d.rootfs());
        }
        assertThat(Files.readString(snapshot.resolve("f"))).isEqualTo("x");
    }
}
