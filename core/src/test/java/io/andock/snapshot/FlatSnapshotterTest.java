package io.andock.snapshot;

import io.andock.AndockException;
import io.andock.image.Digest;
import io.andock.image.ImageConfig;
import io.andock.image.MediaTypes.Compression;
import io.andock.snapshot.Snapshotter.LayerInput;
import io.andock.tar.TestTar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static io.andock.tar.TestTar.dir;
import static io.andock.tar.TestTar.file;
import static io.andock.tar.TestTar.hardlink;
import static io.andock.tar.TestTar.special;
import static io.andock.tar.TestTar.symlink;
import static io.andock.tar.TestTar.whiteout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlatSnapshotterTest {
    @TempDir
    Path tmp;
    final AtomicInteger opened = new AtomicInteger();

    private LayerInput layer(byte[] tar) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        byte[] blob = gz.toByteArray();
        return new LayerInput(Digest.sha256(tar), Compression.DETECT, () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(blob);
        });
    }

    private static Digest chainId(List<LayerInput> layers) {
        List<Digest> ids = layers.stream().map(LayerInput::diffId).toList();
        return ImageConfig.chainIds(ids).get(ids.size() - 1);
    }

    @Test
    void prepare_unpacksTheChainOnce_andPublishesUnderTheChainId() throws IOException {
        FlatSnapshotter s = new FlatSnapshotter(tmp.resolve("snap"));
        List<LayerInput> chain = List.of(layer(TestTar.of(file("a", "1"), file("b", "2"))),
                layer(TestTar.of(whiteout(".wh.a"), file("c", "3"))));
        Path rootfs = s.prepare(chain, ApplyOptions.defaults(), Snapshotter.Listener.NONE);
        assertThat(rootfs).isEqualTo(tmp.resolve("snap").resolve(chainId(chain).hex()).resolve("rootfs"));
        assertThat(Trees.list(rootfs)).containsExactly("b = 2", "c = 3");
        assertThat(s.prepare(chain, ApplyOptions.defaults(), Snapshotter.Listener.NONE)).isEqualTo(rootfs);
        assertThat(opened).hasValue(2);
        assertThat(s.rootfs(chainId(chain))).contains(rootfs);
        assertThat(s.list()).containsExactly(chainId(chain));
        s.remove(chainId(chain));
        assertThat(s.list()).isEmpty();
        assertThat(s.rootfs(chainId(chain))).isEmpty();
    }

    @Test
    void prepare_diffIdMismatch_leavesNothingBehind_evenReadOnlyDirs() throws IOException {
        FlatSnapshotter s = new FlatSnapshotter(tmp.resolve("snap"));
        LayerInput good = layer(TestTar.of(dir("ro").mode(0555), file("ro/f", "x").mode(0444)));
        LayerInput lying = new LayerInput(Digest.sha256("not this layer".getBytes()), Compression.GZIP, good.open());
        assertThatThrownBy(() -> s.prepare(List.of(lying), ApplyOptions.defaults().withPrivileged(false),
                Snapshotter.Listener.NONE))
                .isInstanceOf(AndockException.class).hasMessageContaining("diff_id mismatch")
                .extracting(e -> ((AndockException) e).kind()).isEqualTo(AndockException.Kind.CORRUPT);
        assertThat(s.list()).isEmpty();
        try (var files = Files.list(tmp.resolve("snap/.tmp"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void prepare_sweepsTemporariesLeftByAKilledProcess() throws IOException {
        Path base = tmp.resolve("snap");
        String hex = "ab".repeat(32);
        Path leftover = Files.createDirectories(base.resolve(".tmp/" + hex + ".dead/rootfs/ro"));
        Files.writeString(leftover.resolve("f"), "x");
        Modes.set(leftover, 0555);
        FlatSnapshotter s = new FlatSnapshotter(base);
        assertThat(s.list()).isEmpty(); // never mistaken for a snapshot
        s.prepare(List.of(layer(TestTar.of(file("a", "1")))), ApplyOptions.defaults(), Snapshotter.Listener.NONE);
        assertThat(base.resolve(".tmp/" + hex + ".dead")).doesNotExist();
    }

    @Test
    void prepare_concurrentCallsForOneChain_unpackOnce() throws Exception {
        FlatSnapshotter s = new FlatSnapshotter(tmp.resolve("snap"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        byte[] tar = TestTar.of(file("a", "1"));
        LayerInput slow = new LayerInput(Digest.sha256(tar), Compression.NONE, () -> {
            opened.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new ByteArrayInputStream(tar);
        });
        AtomicInteger waited = new AtomicInteger();
        Snapshotter.Listener l = new Snapshotter.Listener() {
            @Override
            public void waiting(Digest chainId) {
                waited.incrementAndGet();
                release.countDown();
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Path> first = pool.submit(() -> s.prepare(List.of(slow), ApplyOptions.defaults(), l));
            started.await();
            Future<Path> second = pool.submit(() -> s.prepare(List.of(slow), ApplyOptions.defaults(), l));
            assertThat(second.get()).isEqualTo(first.get());
        } finally {
            pool.shutdownNow();
        }
        assertThat(opened).hasValue(1);
        assertThat(waited).hasValue(1);
    }

    @Test
    void prepare_unprivileged_writesMergedOwnership() throws IOException {
        FlatSnapshotter s = new FlatSnapshotter(tmp.resolve("snap"));
        Path rootfs = s.prepare(List.of(layer(TestTar.of(file("a", "1").owner(5, 6), file("gone", "x"))),
                layer(TestTar.of(whiteout(".wh.gone"), file("a", "2").owner(7, 8).mode(0755)))),
                ApplyOptions.defaults().withPrivileged(false), Snapshotter.Listener.NONE);
        assertThat(Files.readAllLines(rootfs.resolveSibling("ownership.tsv"))).containsExactly("a\t7\t8\t755");
    }

    // ---- a chain that extends a held one starts as a copy of it (SnapshotClone)

    private static final byte[] BASE = TestTar.of(dir("etc").mode(0750).mtime(1_600_000_000L), file("etc/conf", "v1").owner(5, 6),
            dir("ro").mode(0555).mtime(1_600_000_100L), file("ro/f", "x").mode(0444), file("keep", "k").mode(04755).mtime(1_500_000_000L),
            hardlink("keep-too", "keep"), symlink("link", "etc/conf"), file("gone", "g"), dir("app").mtime(1_600_000_200L),
            file("app/part-1", "one"), file("app/part-2", "two"));
    // a whole unpack and a copy both leave a directory the update changes without naming it at the time of the change,
    // so the update names each (with its mtime) to compare the two
    private static final byte[] UPDATE = TestTar.of(dir(".").mtime(1_650_000_000L), dir("app").mtime(1_650_000_001L),
            dir("etc").mode(0750).mtime(1_650_000_002L), dir("ro").mode(0555).mtime(1_650_000_003L), file("app/part-2", "TWO").mtime(1_700_000_000L), whiteout(".wh.gone"),
            file("ro/new", "n"), file("etc/conf", "v2").owner(7, 8).mode(0600));

    /** Every entry with its type, content or target, mode and mtime (what a copy must keep). */
    private static List<String> described(Path root) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        try (var all = Files.walk(root)) {
            for (Path p : all.sorted().toList()) {
                var lm = java.nio.file.LinkOption.NOFOLLOW_LINKS;
                String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, lm) ? "dir" : "= " + Files.readString(p);
                out.add(root.relativize(p) + " " + what + " mode=" + Integer.toOctalString(Trees.mode(p))
                        + " owner=" + Files.getAttribute(p, "unix:uid", lm) + ":" + Files.getAttribute(p, "unix:gid", lm)
                        + " mtime=" + Files.getLastModifiedTime(p, lm));
            }
        }
        return out;
    }

    @Test
    void prepare_ofAChainExtendingAHeldOne_appliesOnlyTheNewLayer_andEndsAsAWholeUnpackWould() throws IOException {
        for (boolean privileged : new boolean[]{false, ApplyOptions.defaults().privileged()}) {
            ApplyOptions o = ApplyOptions.defaults().withPrivileged(privileged);
            FlatSnapshotter whole = new FlatSnapshotter(tmp.resolve("whole-" + privileged));
            Path expected = whole.prepare(List.of(layer(BASE), layer(UPDATE)), o, Snapshotter.Listener.NONE);

            FlatSnapshotter s = new FlatSnapshotter(tmp.resolve("extended-" + privileged));
            Path held = s.prepare(List.of(layer(BASE)), o, Snapshotter.Listener.NONE);
            List<String> heldBefore = described(held);
            opened.set(0);
            AtomicInteger applied = new AtomicInteger();
            Path rootfs = s.prepare(List.of(layer(BASE), layer(UPDATE)), o, new Snapshotter.Listener() {
                @Override
                public void applied(int index, LayerInput l, ApplyResult r) {
                    applied.incrementAndGet();
                }
            });
            assertThat(opened).as("only the new layer is read").hasValue(1);
            assertThat(applied).as("every layer reported").hasValue(2);
            assertThat(described(rootfs)).isEqualTo(described(expected));
            assertThat(described(held)).as("the held snapshot is untouched").isEqualTo(heldBefore);
            assertThat(Files.readString(held.resolve("app/part-2"))).isEqualTo("two");
            assertThat(Files.getAttribute(rootfs.resolve("app/part-1"), "unix:ino"))
                    .as("an unchanged file is the held one's").isEqualTo(Files.getAttribute(held.resolve("app/part-1"), "unix:ino"));
            for (String tsv : new String[]{"ownership.tsv", "xattrs.tsv"}) {
                Path want = expected.resolveSibling(tsv);
                Path got = rootfs.resolveSibling(tsv);
                assertThat(Files.exists(got)).as(tsv).isEqualTo(Files.exists(want));
                if (Files.exists(want)) assertThat(Files.readAllLines(got)).as(tsv).containsExactlyInAnyOrderElementsOf(Files.readAllLines(want));
            }
        }
    }

    @Test
    void prepare_ofAChainExtendingAHeldOneWithAFifo_appliesEveryLayer() throws IOException {
        FlatSnapshotter s = new FlatSnapshotter(tmp.resolve("snap"));
        LayerInput base = layer(TestTar.of(file("a", "1"), special('6', "pipe", 0, 0)));
        Path held = s.prepare(List.of(base), ApplyOptions.defaults(), Snapshotter.Listener.NONE);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(held.resolve("pipe"), java.nio.file.LinkOption.NOFOLLOW_LINKS), "mkfifo works here");
        opened.set(0);
        Path rootfs = s.prepare(List.of(base, layer(TestTar.of(file("b", "2")))), ApplyOptions.defaults(), Snapshotter.Listener.NONE);
        assertThat(opened).hasValue(2);
        assertThat(Trees.list(rootfs)).containsExactly("a = 1", "b = 2", "pipe (special)");
    }

    @Test
    void snapshotClone_unescapesWhatTheTsvEscaped() {
        assertThat(SnapshotClone.unescape(FlatSnapshotter.escape("a\\b\tc\nd"))).isEqualTo("a\\b\tc\nd");
        assertThat(SnapshotClone.unescape("x\\ty\\nz\\\\")).isEqualTo("x\ty\nz\\");
    }
}
