package io.andock.snapshot;

import io.andock.AndockException;
import io.andock.tar.TestTar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.andock.tar.TestTar.dir;
import static io.andock.tar.TestTar.file;
import static io.andock.tar.TestTar.hardlink;
import static io.andock.tar.TestTar.symlink;
import static io.andock.tar.TestTar.whiteout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile archives. Layout: {@code tmp/area/rootfs} is applied to; {@code tmp/area/sentinel}, {@code tmp/area/victim}
 * and {@code tmp/area/dir/victim} sit beside it. After each case everything outside the rootfs must be unchanged.
 * Absolute names in the archives point at the area's real path, so a broken applier would hit the sentinels.
 */
class HostileLayerTest {
    @TempDir
    Path tmp;
    Path area;
    Path rootfs;
    List<String> outsideBefore;

    @BeforeEach
    void setUp() throws IOException {
        area = Files.createDirectories(tmp.resolve("area")).toRealPath();
        rootfs = Files.createDirectories(area.resolve("rootfs"));
        Files.writeString(area.resolve("sentinel"), "sentinel\n");
        Files.writeString(area.resolve("victim"), "victim\n");
        Files.createDirectories(area.resolve("dir"));
        Files.writeString(area.resolve("dir/victim"), "victim in dir\n");
        outsideBefore = outside();
    }

    @AfterEach
    void outsideIsUnchanged() {
        assertThat(outside()).isEqualTo(outsideBefore);
    }

    private List<String> outside() {
        return Trees.list(area).stream().filter(l -> !l.startsWith("rootfs")).toList();
    }

    private ApplyResult apply(byte[] tar) {
        return new LayerApplier(ApplyOptions.defaults()).apply(new ByteArrayInputStream(tar), rootfs);
    }

    private ApplyResult apply(ApplyOptions o, InputStream tar) {
        return new LayerApplier(o).apply(tar, rootfs);
    }

    private void refused(byte[] tar, String entry, String why) {
        assertThatThrownBy(() -> apply(tar)).isInstanceOf(AndockException.class)
                .hasMessageContaining("tar entry \"" + entry + "\"").hasMessageContaining(why)
                .extracting(e -> ((AndockException) e).kind()).isEqualTo(AndockException.Kind.CORRUPT);
    }

    private String up() {
        return "../".repeat(12);
    }

    @Test
    void dotDotTraversal_isRefused() {
        refused(TestTar.of(file("harmless.txt", "ok"), file(up() + area.toString().substring(1) + "/victim", "pwned")),
                up() + area.toString().substring(1) + "/victim", "escapes the root");
        refused(TestTar.of(file("ok/../../victim", "pwned")), "ok/../../victim", "escapes the root");
        refused(TestTar.of(file("../sentinel", "pwned")), "../sentinel", "escapes the root");
    }

    @Test
    void dotDotInside_isAllowed() throws IOException {
        apply(TestTar.of(file("a/../b", "fine")));
        assertThat(Trees.list(rootfs)).containsExactly("b = fine"); // cleaned lexically, as Docker does
    }

    @Test
    void absoluteNames_areClampedIntoTheRootfs() throws IOException {
        apply(TestTar.of(file(area + "/victim", "clamped"), file("/etc/andock-abs", "x")));
        assertThat(Files.readString(rootfs.resolve(area.toString().substring(1) + "/victim"))).isEqualTo("clamped");
        assertThat(rootfs.resolve("etc/andock-abs")).exists();
    }

    @Test
    void symlinkEscape_inOneLayer_staysInside() throws IOException {
        apply(TestTar.of(symlink("link", "/"), file("link/victim", "x"), symlink("rel", up()),
                file("rel/sentinel", "x"), symlink("areadir", area.toString()), file("areadir/victim", "x"),
                symlink("parent", ".."), file("parent/victim", "p")));
        assertThat(Files.readString(rootfs.resolve("victim"))).isEqualTo("p");
        assertThat(rootfs.resolve("sentinel")).exists();
        assertThat(rootfs.resolve(area.toString().substring(1) + "/victim")).exists();
    }

    @Test
    void symlinkEscape_acrossTwoLayers_staysInside() {
        apply(TestTar.of(symlink("link", "/"), symlink("rel", up()), dir("dir")));
        apply(TestTar.of(file("link/victim", "x"), file("rel/sentinel", "x"), symlink("dir", area + "/dir"),
                file("dir/victim", "swapped")));
        assertThat(rootfs.resolve(area.toString().substring(1) + "/dir/victim")).exists();
    }

    @Test
    void hardlinkEscapes_areRefused() {
        refused(TestTar.of(hardlink("hl-abs", area + "/sentinel")), "hl-abs", "does not exist in the rootfs");
        refused(TestTar.of(hardlink("hl-rel", up() + "sentinel")), "hl-rel", "escapes the root");
        refused(TestTar.of(symlink("out", area.toString()), hardlink("hl-via", "out/sentinel")), "hl-via",
                "does not exist in the rootfs");
        refused(TestTar.of(symlink("out2", ".."), hardlink("hl-up", "out2/sentinel")), "hl-up", "does not exist");
    }

    @Test
    void hardlinkThenFile_doesNotWriteThrough() throws IOException {
        apply(TestTar.of(file("target", "inside sentinel"), hardlink("hl-write", "target"),
                file("hl-write", "overwritten through a hardlink\n")));
        assertThat(Files.readString(rootfs.resolve("target"))).isEqualTo("inside sentinel");
        assertThat(Files.readString(rootfs.resolve("hl-write"))).isEqualTo("overwritten through a hardlink\n");
    }

    @Test
    void hardlinkToMissingOrDirectory_isRefused() {
        refused(TestTar.of(hardlink("hl", "nope")), "hl", "does not exist");
        refused(TestTar.of(dir("d"), hardlink("hl", "d")), "hl", "hardlink to a directory");
    }

    @Test
    void deviceNodes_unprivileged_areSkippedWithAWarning() {
        ApplyResult r = apply(ApplyOptions.defaults().withPrivileged(false), new ByteArrayInputStream(TestTar.of(
                TestTar.special('3', "dev/evil-mem", 1, 1).mode(0666), TestTar.special('4', "dev/sda", 8, 0))));
        assertThat(rootfs.resolve("dev/evil-mem")).doesNotExist();
        assertThat(rootfs.resolve("dev/sda")).doesNotExist();
        assertThat(r.warnings()).hasSize(2).allMatch(w -> w.contains("not privileged"));
    }

    @Test
    void whiteoutEscapes_areRefusedOrClamped() throws IOException {
        refused(TestTar.of(whiteout("../.wh.victim")), "../.wh.victim", "escapes the root");
        refused(TestTar.of(whiteout(up() + "tmp/.wh.x")), up() + "tmp/.wh.x", "escapes the root");
        Files.createDirectories(rootfs.resolve(area.toString().substring(1)));
        Files.writeString(rootfs.resolve(area.toString().substring(1) + "/victim"), "inside");
        apply(TestTar.of(whiteout(area + "/.wh.victim"))); // clamped: removes the copy inside the rootfs
        assertThat(rootfs.resolve(area.toString().substring(1) + "/victim")).doesNotExist();
    }

    @Test
    void whiteoutsOfDotAndDotDot_areRefused() throws IOException {
        // DANGER if broken: these would delete the rootfs or its parent; only ever run inside a temp dir
        Files.createDirectories(rootfs.resolve("sub"));
        Files.writeString(rootfs.resolve("keep"), "k");
        refused(TestTar.of(whiteout("sub/.wh...")), "sub/.wh...", "invalid whiteout");
        refused(TestTar.of(whiteout(".wh...")), ".wh...", "invalid whiteout");
        refused(TestTar.of(whiteout(".wh..")), ".wh..", "invalid whiteout");
        assertThat(Trees.list(rootfs)).containsExactly("keep = k", "sub/");
    }

    @Test
    void whiteoutThroughSymlink_staysInside() {
        apply(TestTar.of(symlink("out", area.toString()), symlink("up", "..")));
        apply(TestTar.of(whiteout("out/.wh.victim"), whiteout("out/.wh..wh..opq"), whiteout("up/.wh.sentinel")));
        assertThat(rootfs.resolve("out")).isSymbolicLink();
    }

    @Test
    void namesWithNul_areRefused() {
        refused(TestTar.of(file("a", "x").pax("path", "a\0b")), "a\\x00b", "NUL");
    }

    @Test
    void pathBeyondPathMax_failsCleanly() {
        String p = String.join("/", java.util.Collections.nCopies(30, "p".repeat(200))) + "/file.txt";
        assertThat(p.length()).isGreaterThan(6000);
        assertThatThrownBy(() -> apply(TestTar.of(file(p, "deep"))))
                .hasMessageContaining("tar entry \"pppp").hasMessageContaining("bytes)")
                .hasMessageContaining("exceeds PATH_MAX");
        assertThat(Trees.list(rootfs)).isEmpty();
    }

    @Test
    void tarBomb_stopsAtTheLimitWithoutHoldingData() {
        ApplyOptions o = ApplyOptions.defaults().withMaxBytes(16L << 20);
        assertThatThrownBy(() -> apply(o, TestTar.zeros("zeros.bin", 256L << 20)))
                .hasMessageContaining("tar entry \"zeros.bin\"").hasMessageContaining("limit");
        assertThatThrownBy(() -> apply(o, TestTar.zeros("zeros.bin", (16L << 20) - 512)))
                .hasMessageContaining("larger than the limit"); // passes the size check, the stream count stops it
        ApplyOptions few = ApplyOptions.defaults().withMaxEntries(2);
        assertThatThrownBy(() -> apply(few, new ByteArrayInputStream(TestTar.of(file("a", ""), file("b", ""),
                file("c", ""))))).hasMessageContaining("more than 2 entries");
    }

    @Test
    void truncatedArchive_isRefused() {
        byte[] tar = TestTar.of(file("big", "x".repeat(5000)));
        byte[] cut = Arrays.copyOf(tar, 512 + 2048);
        refused(cut, "big", "truncated");
        refused(Arrays.copyOf(tar, 300), "", "truncated");
    }

    @Test
    void badHeaderChecksum_isRefused() {
        refused(TestTar.of(file("ok", "x"), file("bad", "x").badChecksum()), "bad", "checksum");
    }

    @Test
    void sparseAndUnknownTypes_areRefused() {
        TestTar.E sparse = file("holes", "");
        sparse.type = 'S';
        refused(TestTar.of(sparse), "holes", "sparse");
        TestTar.E weird = file("weird", "");
        weird.type = 'Q';
        refused(TestTar.of(weird), "weird", "unsupported entry type 'Q'");
    }
}
