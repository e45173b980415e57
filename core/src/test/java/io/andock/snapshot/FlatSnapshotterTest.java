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
}
