package io.andock.engine;

import io.andock.os.Owner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scratch directories in {@code <root>/tmp} (a build context the daemon was receiving when it was killed) name
 * their owner and are swept at the next start once it is gone; never a live owner's, never through a symlink.
 */
@Tag("unit")
class LeftoversScratchTest {
    @TempDir
    Path tmp;

    @Test
    void scratchDir_isPrivate_namesItsOwner() throws Exception {
        Path d = Leftovers.scratchDir(tmp.resolve("tmp"), "build-context");
        assertThat(d.getFileName().toString()).startsWith("build-context-" + Owner.self() + "-");
        assertThat(Integer.toOctalString((Integer) Files.getAttribute(d, "unix:mode") & 0777)).isEqualTo("700");
        assertThatThrownBy(() -> Leftovers.scratchDir(tmp, "../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sweep_removesADeadOwnersScratch_andOldUnownedContexts_keepsTheRest() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("tmp"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");

        Path dead = Files.createDirectories(spool.resolve("build-context-999999.1-" + UUID.randomUUID()));
        Files.createDirectories(dead.resolve("a/b"));
        Files.writeString(dead.resolve("a/b/Dockerfile"), "FROM x");
        Files.createSymbolicLink(dead.resolve("link"), outside);
        Path mine = Leftovers.scratchDir(spool, "build-context");
        Path oldUnowned = Files.createDirectories(spool.resolve("build-context-1234567"));
        Files.setLastModifiedTime(oldUnowned, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
        Path newUnowned = Files.createDirectories(spool.resolve("build-context-7654321"));
        Path linkNamedLikeScratch = Files.createSymbolicLink(spool.resolve("build-context-999999.1-" + UUID.randomUUID()), outside);

        Leftovers.sweepSpools(spool);

        assertThat(dead).doesNotExist();
        assertThat(oldUnowned).doesNotExist();
        assertThat(mine).isDirectory();
        assertThat(newUnowned).isDirectory();
        assertThat(outside.resolve("keep")).exists();
        assertThat(linkNamedLikeScratch).isSymbolicLink();
    }
}
