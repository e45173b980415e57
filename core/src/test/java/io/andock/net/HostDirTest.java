package io.andock.net;

import io.andock.AndockException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The host-wide network directory is trusted only when it is this user's and nobody else may write in it. */
class HostDirTest {
    @TempDir
    Path tmp;

    @Test
    void made_whenMissing_privateToItsOwner() throws Exception {
        Path d = HostDir.ensure(tmp.resolve("a/andock-net"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwxr-xr-x");
        assertThat(HostDir.ensure(d)).isEqualTo(d);
    }

    @Test
    void refused_whenOthersMayWriteInIt_orItIsALink_orAnotherUsersDir() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path groupWritable = Files.createDirectory(tmp.resolve("group"));
        Files.setPosixFilePermissions(groupWritable, PosixFilePermissions.fromString("rwxrwxr-x"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Files.createDirectory(tmp.resolve("target")));
        for (Path p : new Path[]{open, groupWritable, link}) {
            assertThatThrownBy(() -> HostDir.ensure(p)).as(p.toString()).isInstanceOf(AndockException.class)
                    .hasMessageContaining("belongs to another user or others may write in it");
        }
        assumeTrue(io.andock.os.HostTools.isRoot(), "chown needs root");
        Path foreign = Files.createDirectory(tmp.resolve("foreign"));
        Files.setAttribute(foreign, "unix:uid", 65534);
        assertThatThrownBy(() -> HostDir.ensure(foreign)).isInstanceOf(AndockException.class)
                .hasMessageContaining("belongs to another user");
    }
}
