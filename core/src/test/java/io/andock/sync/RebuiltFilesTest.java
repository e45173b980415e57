package io.andock.sync;

import io.andock.image.Digest;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list of a snapshot a sync made, derived from the rebuild ({@link RebuiltFiles}, {@link HeldFiles#derive}),
 * equals the list made by hashing the snapshot; a file reached through a symlink is left out. Tars by GNU tar.
 */
class RebuiltFilesTest {
    @TempDir
    Path tmp;

    @Test
    void derivedList_equalsTheHashedOne_andSkipsPathsThroughSymlinks() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/usr/lib"));
        Files.writeString(src.resolve("libc.so"), "c".repeat(3000));
        Files.writeString(src.resolve("libz.so"), "z".repeat(700));
        Files.writeString(src.resolve("libz2.so"), "z".repeat(700)); // a repeat: copied from the tar itself
        Files.writeString(tmp.resolve("src/motd"), "hello\n");
        Files.createFile(tmp.resolve("src/empty"));
        Path t = tmp.resolve("layer.tar");
        Cmd.run("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-C", tmp.resolve("src").toString(), "-cf", t.toString(), ".");
        byte[] tar = Files.readAllBytes(t);
        SyncPacks.Scanned s = SyncPacks.scan(tar);
        byte[] pack = SyncPacks.pack(s, s.rawRecipe(), b -> b);
        Path work = Files.createDirectories(tmp.resolve("work"));
        LayerSync sync = new LayerSync(new LayerSync.Hub() {
            @Override
            public byte[] plan(byte[] request) {
                return ("{\"pack\":\"" + Digest.sha256(pack) + "\",\"size\":" + pack.length + "}").getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public InputStream pack(Digest p, long size, long offset) {
                return new ByteArrayInputStream(pack, (int) offset, pack.length - (int) offset);
            }
        }, HeldFiles.none(), List.of(), work);
        sync.fetch(Digest.sha256(new byte[0]), Digest.sha256(tar), 1 << 20).orElseThrow();
        RebuiltFiles files = sync.rebuiltFiles().orElseThrow();
        assertThat(files.files()).containsOnlyKeys("motd", "usr/lib/libc.so", "usr/lib/libz.so", "usr/lib/libz2.so");
        assertThat(files.files().get("motd").hex()).isEqualTo(Digest.sha256("hello\n".getBytes(StandardCharsets.UTF_8)).hex());

        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Cmd.run("tar", "-C", rootfs.toString(), "-xf", t.toString());
        Path hashed = Files.createDirectories(tmp.resolve("hashed")), derived = Files.createDirectories(tmp.resolve("derived"));
        HeldFiles.of(Map.of("top", rootfs), hashed);
        HeldFiles.derive(rootfs, derived.resolve("top.tsv"), null, files);
        assertThat(sorted(derived.resolve("top.tsv"))).isEqualTo(sorted(hashed.resolve("top.tsv")));

        // a layer on top: the lower list less what it shadows, plus its files; usr/lib now a symlink elsewhere
        Files.delete(rootfs.resolve("motd"));
        Path lib = rootfs.resolve("usr/lib");
        Files.move(lib, rootfs.resolve("usr/lib.real"));
        Files.createSymbolicLink(lib, Path.of("lib.real"));
        RebuiltFiles upper = new RebuiltFiles(Map.of(), List.of("motd", "motd/", "usr/lib", "usr/lib/"));
        Path next = derived.resolve("next.tsv");
        HeldFiles.derive(rootfs, next, derived.resolve("top.tsv"), upper);
        assertThat(Files.readAllLines(next)).isEmpty();
        RebuiltFiles keepLib = new RebuiltFiles(Map.of(), List.of("motd", "motd/"));
        HeldFiles.derive(rootfs, next, derived.resolve("top.tsv"), keepLib);
        assertThat(Files.readAllLines(next)).isEmpty(); // usr/lib is a symlink now: nothing under it is listed
    }

    private static List<String> sorted(Path p) throws Exception {
        return Files.readAllLines(p).stream().sorted().toList();
    }
}
