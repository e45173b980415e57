package io.andock.sync;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.testkit.Cmd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A device's {@link LayerSync} against hubs that lie: each is refused with a CORRUPT error naming what is wrong,
 * and nothing is left behind (no tar to apply, no pack). The layer is a real GNU tar.
 */
class LayerSyncHostileHubTest {
    @TempDir
    Path tmp;
    private byte[] tar;
    private Digest diffId;
    private SyncPacks.Scanned scanned;
    private Path work;

    @BeforeEach
    void layer() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/big.bin"), "x".repeat(5000));
        Files.writeString(root.resolve("etc/motd"), "hello\n");
        Path t = tmp.resolve("layer.tar");
        Cmd.run("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-C", root.toString(), "-cf", t.toString(), ".");
        tar = Files.readAllBytes(t);
        diffId = Digest.sha256(tar);
        scanned = SyncPacks.scan(tar);
        work = Files.createDirectories(tmp.resolve("work"));
    }

    /** A hub that answers one plan with {@code pack}, announcing {@code announced} bytes, serving {@code served}. */
    private LayerSync device(byte[] pack, long announced, byte[] served) {
        Digest d = Digest.sha256(pack);
        return new LayerSync(new LayerSync.Hub() {
            @Override
            public byte[] plan(byte[] request) {
                return ("{\"pack\":\"" + d + "\",\"size\":" + announced + "}").getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public InputStream pack(Digest p, long size, long offset) {
                return new ByteArrayInputStream(served, (int) offset, served.length - (int) offset);
            }
        }, HeldFiles.none(), List.of(), work);
    }

    private Optional<Path> fetch(byte[] pack) {
        return device(pack, pack.length, pack).fetch(Digest.sha256(new byte[0]), diffId, 1 << 20);
    }

    private void assertNothingLeft() throws Exception {
        try (var s = Files.list(work)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void honestHub_rebuildsTheLayer() throws Exception {
        Path got = fetch(SyncPacks.pack(scanned, scanned.rawRecipe(), b -> b)).orElseThrow();
        assertThat(Files.readAllBytes(got)).isEqualTo(tar);
    }

    @Test
    void honestHub_rebuildsALayerWithALargeFileAndRepeats() throws Exception {
        Path root = tmp.resolve("big");
        Files.createDirectories(root);
        byte[] big = new byte[20 << 20];
        new java.util.Random(7).nextBytes(big);
        Files.write(root.resolve("a.bin"), big);
        Files.write(root.resolve("b.bin"), big); // the same content twice: sent once, copied from the tar
        Path t = tmp.resolve("big.tar");
        Cmd.run("tar", "--sort=name", "--mtime=@0", "-C", root.toString(), "-cf", t.toString(), ".");
        byte[] bigTar = Files.readAllBytes(t);
        SyncPacks.Scanned s = SyncPacks.scan(bigTar);
        byte[] pack = SyncPacks.pack(s, s.rawRecipe(), b -> b);
        assertThat(pack.length).isLessThan(22 << 20);
        Path got = device(pack, pack.length, pack).fetch(Digest.sha256(new byte[0]), Digest.sha256(bigTar), 64 << 20).orElseThrow();
        assertThat(Files.size(got)).isEqualTo(bigTar.length);
        assertThat(Digest.sha256(Files.readAllBytes(got))).isEqualTo(Digest.sha256(bigTar));
    }

    @Test
    void wrongContents_areRefused() throws Exception {
        byte[] pack = SyncPacks.pack(scanned, scanned.rawRecipe(), b -> {
            byte[] c = b.clone();
            c[0] ^= 1;
            return c;
        });
        assertThatThrownBy(() -> fetch(pack)).isInstanceOf(AndockException.class).hasMessageContaining("does not match its sha256");
        assertNothingLeft();
    }

    @Test
    void aRecipeWithDotDotPaths_isRefusedByTheDiffId() throws Exception {
        byte[] evil = replace(scanned.rawRecipe(), "./etc/motd", "../../motd");
        byte[] pack = SyncPacks.pack(scanned, evil, b -> b);
        assertThatThrownBy(() -> fetch(pack)).isInstanceOf(AndockException.class).hasMessageContaining("not the diff_id");
        assertNothingLeft();
    }

    @Test
    void aTruncatedPack_isRefused() throws Exception {
        byte[] pack = SyncPacks.pack(scanned, scanned.rawRecipe(), b -> b);
        byte[] half = Arrays.copyOf(pack, pack.length / 2);
        assertThatThrownBy(() -> device(pack, pack.length, half).fetch(Digest.sha256(new byte[0]), diffId, 1 << 20))
                .isInstanceOf(AndockException.class).hasMessageContaining("of " + pack.length + " bytes");
        assertNothingLeft();
        // and a pack whose bytes are not those it is named by
        byte[] other = pack.clone();
        other[other.length - 1] ^= 1;
        assertThatThrownBy(() -> device(pack, pack.length, other).fetch(Digest.sha256(new byte[0]), diffId, 1 << 20))
                .hasMessageContaining("digest mismatch");
        assertNothingLeft();
    }

    @Test
    void oversizedCounts_areRefusedBeforeAllocating() throws Exception {
        byte[] pack = SyncPacks.pack(scanned, scanned.rawRecipe(), b -> b);
        assertThatThrownBy(() -> device(pack, 1L << 50, pack).fetch(Digest.sha256(new byte[0]), diffId, 1 << 20))
                .hasMessageContaining("a pack of");
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        items.write(SyncPack.MAGIC);
        BinaryDelta.varint(items, 0);
        BinaryDelta.varint(items, Integer.MAX_VALUE);
        assertThatThrownBy(() -> fetch(items.toByteArray())).hasMessageContaining("items");
        ByteArrayOutputStream recipe = new ByteArrayOutputStream();
        recipe.write(TarRecipe.MAGIC);
        recipe.write(new byte[]{1, 0x40, 0, 0, 0});
        byte[] hugeLiteral = SyncPacks.pack(scanned, recipe.toByteArray(), b -> b);
        assertThatThrownBy(() -> fetch(hugeLiteral)).hasMessageContaining("literal of");
        assertNothingLeft();
    }

    private static byte[] replace(byte[] in, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII), t = to.getBytes(StandardCharsets.US_ASCII);
        byte[] out = in.clone();
        int hits = 0;
        for (int i = 0; i + f.length <= out.length; i++) {
            if (Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, out, i, t.length);
                hits++;
            }
        }
        assertThat(hits).isPositive();
        return out;
    }
}
