package io.andock.content;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentStoreTest {
    @TempDir
    Path root;

    static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Descriptor describe(byte[] b) {
        return new Descriptor("application/octet-stream", Digest.sha256(b), b.length);
    }

    private static void ingest(ContentStore s, Descriptor d, InputStream in) {
        try (Ingest i = s.begin(d)) {
            if (i.alreadyExists()) return;
            i.write(in);
            i.commit();
        }
    }

    private List<Path> ingestFiles() throws Exception {
        List<Path> out = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(root.resolve("content/ingest"), "*.data")) {
            ds.forEach(out::add);
        }
        return out;
    }

    @Test
    void ingest_publishesVerifiedBlob() throws Exception {
        ContentStore s = ContentStore.open(root.resolve("content"));
        byte[] b = data(300_000, 1);
        Descriptor d = describe(b);
        ingest(s, d, new ByteArrayInputStream(b));
        assertThat(s.exists(d.digest())).isTrue();
        assertThat(Files.readAllBytes(root.resolve("content/blobs/sha256/" + d.digest().hex()))).isEqualTo(b);
        assertThat(s.size(d.digest())).isEqualTo(b.length);
        assertThat(ingestFiles()).isEmpty();
        assertThat(s.list()).containsExactly(d.digest());
    }

    @Test
    void ingest_sizeLieLeavesNothing() throws Exception {
        ContentStore s = ContentStore.open(root.resolve("content"));
        byte[] b = data(155, 2);
        Descriptor lie = new Descriptor("x", Digest.sha256(b), 1155);
        assertThatThrownBy(() -> ingest(s, lie, new VerifyingInputStream(new ByteArrayInputStream(b), lie)))
                .isInstanceOfSatisfying(AndockException.class, e -> {
                    assertThat(e.kind()).isEqualTo(AndockException.Kind.CORRUPT);
                    assertThat(e.getMessage()).contains("size 1155 expected, 155 received");
                });
        Descriptor small = new Descriptor("x", Digest.sha256(b), 100);
        assertThatThrownBy(() -> ingest(s, small, new ByteArrayInputStream(b)))
                .hasMessageContaining("size 100 expected");
        assertThat(s.exists(lie.digest())).isFalse();
        assertThat(s.list()).isEmpty();
        assertThat(ingestFiles()).isEmpty();
    }

    @Test
    void ingest_digestLieLeavesNothing() throws Exception {
        ContentStore s = ContentStore.open(root.resolve("content"));
        byte[] b = data(1000, 3);
        Descriptor lie = new Descriptor("x", Digest.sha256(data(1000, 4)), 1000);
        assertThatThrownBy(() -> ingest(s, lie, new ByteArrayInputStream(b)))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.CORRUPT))
                .hasMessageContaining("digest mismatch");
        assertThatThrownBy(() -> ingest(s, lie, new VerifyingInputStream(new ByteArrayInputStream(b), lie)))
                .hasMessageContaining("digest mismatch");
        assertThat(s.list()).isEmpty();
        assertThat(ingestFiles()).isEmpty();
    }

    @Test
    void ingest_resumesPartialDataOfAnInterruptedIngest() throws Exception {
        ContentStore s = ContentStore.open(root.resolve("content"));
        byte[] b = data(500_000, 5);
        Descriptor d = describe(b);
        try (Ingest i = s.begin(d)) {
            i.write(new ByteArrayInputStream(b, 0, 200_000));
            // closed without commit: a dropped connection
        }
        assertThat(s.exists(d.digest())).isFalse();
        try (Ingest i = s.begin(d)) {
            assertThat(i.offset()).isEqualTo(200_000);
            i.write(new VerifyingInputStream(new ByteArrayInputStream(b, 200_000, 300_000), d, i.offset(), i.hashState()));
            i.commit();
        }
        assertThat(s.readAll(d.digest())).isEqualTo(b);
    }

    @Test
    void ingest_twoThreadsSameBlob_secondReusesFirst() throws Exception {
        ContentStore s = ContentStore.open(root.resolve("content"));
        byte[] b = data(1 << 20, 6);
        Descriptor d = describe(b);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> {
            try (Ingest i = s.begin(d)) {
                started.countDown();
                release.await(10, TimeUnit.SECONDS);
                i.write(new ByteArrayInputStream(b));
                i.commit();
                return i.alreadyExists();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        started.await();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
            try (Ingest i = s.begin(d)) {
                return i.alreadyExists();
            }
        });
        Thread.sleep(200);
        assertThat(second).isNotDone();
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(s.readAll(d.digest())).isEqualTo(b);
    }

    @Test
    void ingest_twoProcessesSameBlob_bothSucceed() throws Exception {
        ContentStore s = ContentStore.open(root.resolve("content"));
        Process p1 = ContentChild.start(root.resolve("content"), "7", "4000000");
        Process p2 = ContentChild.start(root.resolve("content"), "7", "4000000");
        String o1 = new String(p1.getInputStream().readAllBytes());
        String o2 = new String(p2.getInputStream().readAllBytes());
        assertThat(p1.waitFor()).as(o1).isZero();
        assertThat(p2.waitFor()).as(o2).isZero();
        assertThat(List.of(o1.trim(), o2.trim())).containsExactlyInAnyOrder("written", "existed");
        byte[] b = data(4_000_000, 7);
        assertThat(s.readAll(Digest.sha256(b))).isEqualTo(b);
        assertThat(ingestFiles()).isEmpty();
    }

    @Test
    void ingest_killedProcessLeavesNoBlob_andIsResumedLater() throws Exception {
        ContentStore s = ContentStore.open(root.resolve("content"));
        byte[] b = data(4_000_000, 8);
        Descriptor d = describe(b);
        Process p = ContentChild.start(root.resolve("content"), "8", "4000000", "hang");
        assertThat(new String(p.getInputStream().readNBytes(8))).isEqualTo("partial\n");
        p.destroyForcibly().waitFor();
        assertThat(s.exists(d.digest())).isFalse();
        assertThat(ingestFiles()).hasSize(1);
        try (Ingest i = s.begin(d)) {
            assertThat(i.offset()).isEqualTo(1_000_000);
            i.write(new VerifyingInputStream(new ByteArrayInputStream(b, 1_000_000, 3_000_000), d, i.offset(), i.hashState()));
            i.commit();
        }
        assertThat(s.readAll(d.digest())).isEqualTo(b);
    }

    @Test
    void cleanIngests_removesStaleLeftovers() throws Exception {
        ContentStore s = ContentStore.open(root.resolve("content"));
        byte[] b = data(10_000, 9);
        try (Ingest i = s.begin(describe(b))) {
            i.write(new ByteArrayInputStream(b, 0, 5000));
        }
        assertThat(s.cleanIngests(Duration.ofHours(1))).isZero();
        assertThat(s.cleanIngests(Duration.ofSeconds(-1))).isEqualTo(1);
        assertThat(ingestFiles()).isEmpty();
    }

    @Test
    void follow_readsWhileWritingAndEndsAtCommit() throws Exception {
        ContentStore s = ContentStore.open(root.resolve("content"));
        byte[] b = data(2_000_000, 10);
        Descriptor d = describe(b);
        assertThat(s.follow(d.digest())).isEmpty();
        CountDownLatch half = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Ingest i = s.begin(d);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            i.write(new ByteArrayInputStream(b, 0, 1_000_000));
            half.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            i.write(new ByteArrayInputStream(b, 1_000_000, 1_000_000));
            i.commit();
        });
        half.await();
        InputStream f = s.follow(d.digest()).orElseThrow();
        byte[] first = f.readNBytes(1_000_000);
        assertThat(first).isEqualTo(java.util.Arrays.copyOf(b, 1_000_000));
        go.countDown();
        byte[] rest = f.readAllBytes();
        writer.get(10, TimeUnit.SECONDS);
        assertThat(rest.length).isEqualTo(1_000_000);
        assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(b, 1_000_000, 2_000_000));
        f.close();
    }

    @Test
    void follow_failsWhenTheIngestFails() throws Exception {
        ContentStore s = ContentStore.open(root.resolve("content"));
        byte[] b = data(100_000, 11);
        Descriptor lie = new Descriptor("x", Digest.sha256(data(100_000, 12)), 100_000);
        Ingest i = s.begin(lie);
        InputStream f = s.follow(lie.digest()).orElseThrow();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (i) {
                i.write(new ByteArrayInputStream(b));
                i.commit();
            }
        });
        assertThatThrownBy(f::readAllBytes).hasMessageContaining("digest mismatch");
        assertThatThrownBy(() -> writer.get(10, TimeUnit.SECONDS)).hasMessageContaining("digest mismatch");
    }
}
