package io.andock.sync;

import io.andock.image.Digest;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The recipe rebuilds archives GNU tar wrote, byte for byte, in every format it writes. */
class TarRecipeTest {
    @TempDir
    Path tmp;

    @Test
    void recipe_rebuildsGnuTarByteForByte_inGnuPaxAndUstarFormats() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("d/" + "x".repeat(120)));
        Files.writeString(root.resolve("d/" + "x".repeat(120) + "/" + "long-name-".repeat(12)), "deep\n");
        Files.write(root.resolve("big.bin"), new byte[70_000]);
        Files.writeString(root.resolve("same1"), "same contents\n");
        Files.writeString(root.resolve("same2"), "same contents\n");
        Files.writeString(root.resolve("caf\u00e9-\u00fcml\u00e4ut"), "utf-8 name\n");
        Files.createFile(root.resolve("empty"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("big.bin"));
        Files.createLink(root.resolve("hard"), root.resolve("same1"));
        for (String format : new String[]{"gnu", "pax", "ustar"}) {
            Path tar = tmp.resolve(format + ".tar");
            Cmd.Result r = Cmd.exec("tar", "--format=" + format, "--sort=name", "--mtime=@0", "--owner=0", "--group=0",
                    "--numeric-owner", "-C", root.toString(), "-cf", tar.toString(), ".");
            if (format.equals("ustar") && !r.ok()) continue; // ustar cannot hold the long name: GNU tar says so
            r.check();
            byte[] bytes = Files.readAllBytes(tar);
            SyncPacks.Scanned s = SyncPacks.scan(bytes);
            assertThat(HexFormat.of().formatHex(s.index().diffId())).isEqualTo(Digest.sha256(bytes).hex());
            assertThat(s.index().entries()).extracting(FileEntry::path).contains("big.bin", "link", "hard", "caf\u00e9-\u00fcml\u00e4ut");
            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
            TarRecipe.Reader rr = new TarRecipe.Reader(new ByteArrayInputStream(s.rawRecipe()));
            for (TarRecipe.Op op; (op = rr.next()) != null; ) {
                if (op instanceof TarRecipe.Literal l) rebuilt.write(l.bytes());
                else rebuilt.write(s.data().get(((TarRecipe.Content) op).hex()));
            }
            assertThat(rebuilt.toByteArray()).as(format).isEqualTo(bytes);
        }
    }

    @Test
    void sparseArchives_areServedWhole() throws Exception {
        Path f = tmp.resolve("sparse");
        try (var raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(1 << 20);
            raf.write(1);
        }
        Path tar = tmp.resolve("s.tar");
        Cmd.run("tar", "--sparse", "--format=gnu", "-C", tmp.toString(), "-cf", tar.toString(), "sparse");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LayerIndex.of(Files.newInputStream(tar)))
                .isInstanceOf(TarScanner.Unrebuildable.class).hasMessageContaining("sparse");
    }
}
