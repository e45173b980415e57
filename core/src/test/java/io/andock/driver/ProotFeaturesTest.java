package io.andock.driver;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * proot's options are asked once per boot and binary: a stand-in proot counts how often its {@code --help} runs.
 */
@Tag("unit")
class ProotFeaturesTest {
    @TempDir
    Path tmp;

    Path proot() throws Exception {
        Path p = tmp.resolve("proot");
        Files.writeString(p, "#!/bin/sh\necho x >> \"$(dirname \"$0\")/asked\"\n"
                + "echo 'Usage: proot [option] ... [command]'\necho '  -k, --kill-on-exit  kill all'\necho '  -l, --link2symlink  emulate'\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    long asked() throws Exception {
        Path f = tmp.resolve("asked");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    @Test
    void askedOnce_thenFromTheCache() throws Exception {
        Path proot = proot(), cache = tmp.resolve("cache/andock/proot-features");
        assertThat(ProotFeatures.of(proot.toString(), cache)).contains("--kill-on-exit", "--link2symlink");
        assertThat(ProotFeatures.of(proot.toString(), cache)).contains("--kill-on-exit", "--link2symlink");
        assertThat(asked()).isEqualTo(1);
    }

    @Test
    void anotherBinary_isAskedAgain() throws Exception {
        Path proot = proot(), cache = tmp.resolve("proot-features");
        ProotFeatures.of(proot.toString(), cache);
        // an upgrade: the same path, another modification time
        Files.setLastModifiedTime(proot, FileTime.fromMillis(Files.getLastModifiedTime(proot).toMillis() - 60_000));
        assertThat(ProotFeatures.of(proot.toString(), cache)).contains("--link2symlink");
        assertThat(asked()).isEqualTo(2);
    }

    @Test
    void damagedOrOtherBootsCache_isAskedAgain() throws Exception {
        Path proot = proot(), cache = tmp.resolve("proot-features");
        Files.writeString(cache, "boot some-other-boot " + proot + " 1 1\n--kill-on-exit\n");
        assertThat(ProotFeatures.of(proot.toString(), cache)).contains("--link2symlink");
        Files.writeString(cache, "\u0000garbage");
        assertThat(ProotFeatures.of(proot.toString(), cache)).contains("--link2symlink");
        assertThat(asked()).isEqualTo(2);
    }

    @Test
    void aProotThatCannotRun_hasNoOptions_andIsNotCached() throws Exception {
        Path cache = tmp.resolve("proot-features");
        assertThat(ProotFeatures.of(tmp.resolve("missing-proot").toString(), cache)).isEqualTo(Set.of());
        assertThat(cache).doesNotExist();
    }
}
