package io.andock.snapshot;

import io.andock.image.Digest;
import io.andock.tar.TestTar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static io.andock.tar.TestTar.dir;
import static io.andock.tar.TestTar.file;
import static io.andock.tar.TestTar.hardlink;
import static io.andock.tar.TestTar.symlink;
import static io.andock.tar.TestTar.whiteout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LayerApplierTest {
    @TempDir
    Path tmp;

    private Path rootfs() throws IOException {
        return Files.createDirectories(tmp.resolve("rootfs"));
    }

    private ApplyResult apply(Path rootfs, ApplyOptions o, byte[] tar) {
        return new LayerApplier(o).apply(new ByteArrayInputStream(tar), rootfs);
    }

    private ApplyResult apply(Path rootfs, byte[] tar) {
        return apply(rootfs, ApplyOptions.defaults(), tar);
    }

    @Test
    void apply_whiteoutsAndOpaqueDirs_giveTheMergedTree() throws IOException {
        Path r = rootfs();
        apply(r, TestTar.of(dir("a"), file("a/deleted.txt", "x"), file("a/kept.txt", "k"), dir("a/gone"),
                file("a/gone/f", "f"), dir("opq"), file("opq/old.txt", "o"), dir("opq/sub"), file("opq/sub/deep", "d"),
                dir("opq/keepdir"), file("opq/keepdir/lower.txt", "l")));
        apply(r, TestTar.of(whiteout("a/.wh.deleted.txt"), whiteout("a/.wh.gone"),
                // entries of this layer before the opaque marker must survive it
                file("opq/new.txt", "n"), dir("opq/keepdir"), file("opq/keepdir/upper.txt", "u"),
                whiteout("opq/.wh..wh..opq"), file("opq/after.txt", "a"), file("a/.whatever", "w")));
        assertThat(Trees.list(r)).containsExactly("a/", "a/.whatever = w", "a/kept.txt = k", "opq/",
                "opq/after.txt = a", "opq/keepdir/", "opq/keepdir/upper.txt = u", "opq/new.txt = n");
    }

    @Test
    void apply_replacesFileWithDirAndDirWithFile() throws IOException {
        Path r = rootfs();
        apply(r, TestTar.of(file("f2d", "file"), dir("d2f"), file("d2f/child", "c"), dir("d2f/sub"),
                file("d2f/sub/g", "g"), symlink("l2d", "f2d")));
        apply(r, TestTar.of(dir("f2d"), file("f2d/inner", "i"), file("d2f", "now a file"), dir("l2d")));
        assertThat(Trees.list(r)).containsExactly("d2f = now a file", "f2d/", "f2d/inner = i", "l2d/");
    }

    @Test
    void apply_hardlinksShareTheInode_andReplacingOneDoesNotWriteThrough() throws IOException {
        Path r = rootfs();
        apply(r, TestTar.of(file("orig", "content"), dir("sub"), hardlink("sub/link", "orig"),
                hardlink("abs", "/orig")));
        Object key = Files.readAttributes(r.resolve("orig"), BasicFileAttributes.class).fileKey();
        assertThat(Files.readAttributes(r.resolve("sub/link"), BasicFileAttributes.class).fileKey()).isEqualTo(key);
        assertThat(Files.getAttribute(r.resolve("orig"), "unix:nlink")).isEqualTo(3);
        apply(r, TestTar.of(file("sub/link", "replaced")));
        assertThat(Files.readString(r.resolve("orig"))).isEqualTo("content");
        assertThat(Files.readString(r.resolve("sub/link"))).isEqualTo("replaced");
    }

    @Test
    void apply_copiesHardlinksWhenTheFilesystemRefusesLink() throws IOException {
        Path r = rootfs();
        AtomicInteger calls = new AtomicInteger();
        LayerApplier applier = new LayerApplier(ApplyOptions.defaults(), (link, existing) -> {
            calls.incrementAndGet();
            throw new AccessDeniedException(link.toString()); // what Android app storage says
        });
        ApplyResult res = applier.apply(new ByteArrayInputStream(TestTar.of(file("a", "data").mode(0755),
                hardlink("b", "a"), hardlink("c", "a"))), r);
        assertThat(res.hardlinkCopies()).isEqualTo(2);
        assertThat(calls).hasValue(1); // refusal detected once, then copies directly
        assertThat(res.warnings()).anyMatch(w -> w.contains("copies"));
        assertThat(Files.readString(r.resolve("c"))).isEqualTo("data");
        assertThat(Trees.mode(r.resolve("c"))).isEqualTo(0755);
    }

    @Test
    void apply_setsModesIncludingSetuidAndMtimesOfEverything() throws IOException {
        Path r = rootfs();
        long y2100 = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();
        apply(r, TestTar.of(dir("d").mode(01777).mtime(1_000_000_000), file("d/suid", "s").mode(04755),
                file("d/sgid", "g").mode(02711).mtime(y2100), symlink("d/link", "suid").mtime(1_100_000_000),
                dir("ro").mode(0555), file("ro/child", "c").mode(0400),
                file("frac", "f").pax("mtime", "1700000000.123456789")));
        assertThat(Trees.mode(r.resolve("d"))).isEqualTo(01777);
        assertThat(Trees.mode(r.resolve("d/suid"))).isEqualTo(04755);
        assertThat(Trees.mode(r.resolve("d/sgid"))).isEqualTo(02711);
        assertThat(Trees.mode(r.resolve("ro"))).isEqualTo(0555);
        assertThat(Files.readString(r.resolve("ro/child"))).isEqualTo("c");
        assertThat(mtime(r.resolve("d"))).isEqualTo(Instant.ofEpochSecond(1_000_000_000));
        assertThat(mtime(r.resolve("d/sgid"))).isEqualTo(Instant.ofEpochSecond(y2100));
        assertThat(mtime(r.resolve("d/link"))).isEqualTo(Instant.ofEpochSecond(1_100_000_000));
        assertThat(mtime(r.resolve("d/suid"))).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(mtime(r.resolve("frac"))).isEqualTo(Instant.ofEpochSecond(1_700_000_000, 123_456_789));
    }

    @Test
    void apply_unprivileged_recordsOwnershipAndDefersReadOnlyDirModes() throws IOException {
        Path r = rootfs();
        ApplyResult res = apply(r, ApplyOptions.defaults().withPrivileged(false), TestTar.of(
                dir("home/app").owner(1000, 1000).mode(0500), file("home/app/f", "x").owner(1000, 1001).mode(0600),
                file("usr/bin/su", "su").mode(04755)));
        assertThat(res.ownership()).containsEntry("home/app", new ApplyResult.Ownership(1000, 1000, 0500))
                .containsEntry("home/app/f", new ApplyResult.Ownership(1000, 1001, 0600))
                .containsEntry("usr/bin/su", new ApplyResult.Ownership(0, 0, 04755))
                .containsEntry("usr", new ApplyResult.Ownership(0, 0, 0755));
        assertThat(Trees.mode(r.resolve("home/app"))).isEqualTo(0500);
        assertThat(Files.getAttribute(r.resolve("home/app/f"), "unix:uid")).isEqualTo((int) ProcessIdentity.CURRENT.uid());
    }

    @Test
    void apply_asRoot_setsOwnersOfFilesDirsAndSymlinks() throws IOException {
        assumeTrue(ProcessIdentity.CURRENT.isRoot(), "needs root");
        Path r = rootfs();
        ApplyResult res = apply(r, TestTar.of(dir("data").owner(1000, 1000), file("data/f", "x").owner(1000, 1001)
                .mode(04755), symlink("data/l", "f").owner(1002, 1003), file("root-owned", "r")));
        assertThat(res.ownership()).isEmpty();
        assertThat(owner(r.resolve("data"))).isEqualTo("1000:1000");
        assertThat(owner(r.resolve("data/f"))).isEqualTo("1000:1001");
        assertThat(Trees.mode(r.resolve("data/f"))).isEqualTo(04755); // chown cleared it, chmod came after
        assertThat(owner(r.resolve("data/l"))).isEqualTo("1002:1003");
        assertThat(owner(r.resolve("root-owned"))).isEqualTo("0:0");
    }

    @Test
    void apply_setsUserXattrsAndRecordsBinaryOthers() throws IOException {
        Path r = rootfs();
        byte[] cap = {1, 0, 0, 2, (byte) 0xff, 0, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        ApplyResult res = apply(r, TestTar.of(file("ping", "p").paxRaw("SCHILY.xattr.security.capability", cap)
                .pax("SCHILY.xattr.user.note", "hello")));
        assertThat(res.xattrsNotApplied().get("ping").get("security.capability")).isEqualTo(cap);
        if (res.warnings().isEmpty()) {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(r.resolve("ping"), UserDefinedFileAttributeView.class);
            ByteBuffer b = ByteBuffer.allocate(16);
            v.read("note", b);
            assertThat(new String(b.array(), 0, b.position())).isEqualTo("hello");
        }
    }

    @Test
    void apply_makesFifos() throws IOException {
        Path r = rootfs();
        ApplyResult res = apply(r, TestTar.of(TestTar.special('6', "run/fifo", 0, 0).mode(0620)));
        assumeTrue(res.warnings().isEmpty(), "mkfifo unavailable: " + res.warnings());
        assertThat(Files.getAttribute(r.resolve("run/fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(0010620);
    }

    @Test
    void apply_returnsDiffIdOfEverythingRead_includingTrailingBlocks() throws IOException {
        byte[] tar = TestTar.of(file("a", "x"));
        ByteArrayOutputStream padded = new ByteArrayOutputStream();
        padded.writeBytes(tar);
        padded.writeBytes(new byte[10240]); // GNU tar pads to a 10 KiB record
        ApplyResult res = apply(rootfs(), padded.toByteArray());
        assertThat(res.diffId()).isEqualTo(Digest.sha256(padded.toByteArray()));
        assertThat(res.bytes()).isEqualTo(padded.size());
        assertThat(res.entries()).isEqualTo(1);
    }

    @Test
    void apply_realGnuAndPaxArchives_longAndUnicodeNames() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        String longDir = "d".repeat(120);
        String longFile = "f".repeat(150) + ".txt";
        Files.createDirectories(src.resolve(longDir));
        Files.writeString(src.resolve(longDir).resolve(longFile), "long");
        Files.writeString(src.resolve("ünïcödé-名前.txt"), "uni");
        Files.createSymbolicLink(src.resolve("link-to-long"), Path.of(longDir + "/" + longFile));
        Files.createLink(src.resolve("hard"), src.resolve("ünïcödé-名前.txt"));
        for (String format : new String[] {"gnu", "posix"}) {
            Path tarFile = tmp.resolve(format + ".tar");
            Process p = new ProcessBuilder("tar", "--format=" + format, "-C", src.toString(), "-cf", tarFile.toString(), ".")
                    .redirectErrorStream(true).start();
            assumeTrue(p.waitFor() == 0, "GNU tar unavailable");
            Path r = Files.createDirectories(tmp.resolve("rootfs-" + format));
            try (var in = Files.newInputStream(tarFile)) {
                ApplyResult res = new LayerApplier(ApplyOptions.defaults()).apply(in, r);
                assertThat(res.diffId()).isEqualTo(Digest.sha256(Files.readAllBytes(tarFile)));
            }
            assertThat(Trees.list(r)).containsExactly(longDir + "/", longDir + "/" + longFile + " = long",
                    "hard = uni", "link-to-long -> " + longDir + "/" + longFile, "ünïcödé-名前.txt = uni");
            assertThat(Files.isSameFile(r.resolve("hard"), r.resolve("ünïcödé-名前.txt"))).isTrue();
        }
    }

    private static Instant mtime(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).lastModifiedTime().toInstant();
    }

    private static String owner(Path p) throws IOException {
        return Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }
}
