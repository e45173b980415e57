package io.andock.hub.storage;

import io.andock.AndockException;
import io.andock.image.Digest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link HubStorage} promises, run against each implementation: blobs by digest with offsets, staged
 * uploads that append whole or not at all and publish only when asked, metadata keys and their listing, and key
 * checks. {@link #open} gives a fresh, empty store; {@link #reopen} a second handle on the same one (another
 * process or replica, where the implementation can be shared).
 */
abstract class HubStorageContract {
    HubStorage s;

    abstract HubStorage open() throws Exception;

    /** Another handle on the store {@link #open} gave, or null when the store cannot be shared. */
    abstract HubStorage reopen() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        s = open();
    }

    @AfterEach
    void tearDown() {
        s.close();
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    Digest publish(byte[] b) {
        Digest d = Digest.sha256(b);
        HubStorage.Staged st = s.stage("t-" + d.hex().substring(0, 12));
        st.append(new ByteArrayInputStream(b), b.length);
        st.publish(d);
        return d;
    }

    @Test
    void blob_publishedIsReadWholeAndFromAnOffset() throws Exception {
        byte[] b = bytes(300_000, 1);
        Digest d = publish(b);
        assertThat(s.statBlob(d)).hasValueSatisfying(st -> assertThat(st.size()).isEqualTo(b.length));
        assertThat(Digest.sha256(readAll(s.openBlob(d, 0)))).isEqualTo(d);
        byte[] tail = readAll(s.openBlob(d, 299_990));
        assertThat(tail).hasSize(10);
        assertThat(s.listBlobs()).contains(d);
        assertThat(s.deleteBlob(d)).isTrue();
        assertThat(s.deleteBlob(d)).isFalse();
        assertThat(s.statBlob(d)).isEmpty();
    }

    @Test
    void blob_absentIsNotFound() {
        Digest d = Digest.sha256("nothing".getBytes(StandardCharsets.UTF_8));
        assertThat(s.statBlob(d)).isEmpty();
        assertThatThrownBy(() -> s.openBlob(d, 0)).isInstanceOfSatisfying(AndockException.class,
                e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.NOT_FOUND));
    }

    @Test
    void blob_emptyOne() throws Exception {
        Digest d = publish(new byte[0]);
        assertThat(s.statBlob(d)).hasValueSatisfying(st -> assertThat(st.size()).isZero());
        assertThat(readAll(s.openBlob(d, 0))).isEmpty();
    }

    @Test
    void staged_appendsChunksAndIsInvisibleUntilPublished() throws Exception {
        byte[] b = bytes(200_000, 2);
        Digest d = Digest.sha256(b);
        HubStorage.Staged st = s.stage("chunks");
        assertThat(st.append(new ByteArrayInputStream(b, 0, 70_000), 1 << 20)).isEqualTo(70_000);
        assertThat(st.append(new ByteArrayInputStream(b, 70_000, 130_000), 1 << 20)).isEqualTo(130_000);
        assertThat(st.size()).isEqualTo(b.length);
        assertThat(Digest.sha256(readAll(st.read()))).isEqualTo(d);
        assertThat(s.statBlob(d)).isEmpty();
        st.publish(d);
        assertThat(Digest.sha256(readAll(s.openBlob(d, 0)))).isEqualTo(d);
    }

    @Test
    void staged_appendPastItsBoundLeavesNothing() throws Exception {
        HubStorage.Staged st = s.stage("bound");
        st.append(new ByteArrayInputStream(bytes(10, 3)), 100);
        assertThatThrownBy(() -> st.append(new ByteArrayInputStream(bytes(1000, 4)), 100)).isInstanceOf(HubStorage.TooLarge.class);
        assertThat(st.size()).isEqualTo(10);
        st.discard();
    }

    @Test
    void staged_aFailingStreamLeavesNothing() throws Exception {
        HubStorage.Staged st = s.stage("failing");
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 5000) throw new IOException("cut");
                return 7;
            }
        };
        assertThatThrownBy(() -> st.append(broken, 1 << 20)).hasMessageContaining("cut");
        assertThat(st.size()).isZero();
        st.discard();
    }

    @Test
    void staged_discardedIsGone() {
        HubStorage.Staged st = s.stage("gone");
        st.append(new ByteArrayInputStream(bytes(1000, 5)), 1 << 20);
        st.discard();
        assertThat(s.resume("gone").map(HubStorage.Staged::size).orElse(0L)).isZero();
    }

    @Test
    void staged_readBesideAnAppendUnderWaySeesWhatItWrote() throws Exception {
        byte[] b = bytes(500_000, 6);
        int half = b.length / 2;
        HubStorage.Staged st = s.stage("beside");
        java.util.concurrent.CountDownLatch halfway = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
        InputStream paused = new InputStream() { // the first half, a pause, the second half
            int pos;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (pos == half) {
                    halfway.countDown();
                    try {
                        resume.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                if (pos == b.length) return -1;
                int n = Math.min(len, (pos < half ? half : b.length) - pos);
                System.arraycopy(b, pos, buf, off, n);
                pos += n;
                return n;
            }
        };
        Thread t = new Thread(() -> st.append(paused, b.length));
        t.start();
        byte[] seen;
        try {
            assertThat(halfway.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            try (InputStream in = st.read()) {
                seen = in.readNBytes(half);
            }
        } finally {
            resume.countDown();
        }
        t.join(30_000);
        assertThat(Digest.sha256(seen)).isEqualTo(Digest.sha256(java.util.Arrays.copyOf(b, half)));
        assertThat(Digest.sha256(readAll(st.read()))).isEqualTo(Digest.sha256(b));
        st.discard();
    }

    @Test
    void staged_anotherHandleTakesTheNextChunk() throws Exception {
        HubStorage other = reopen();
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this store is not shared");
        try (other) {
            byte[] b = bytes(150_000, 7);
            Digest d = Digest.sha256(b);
            HubStorage.Staged st = s.stage("shared");
            st.append(new ByteArrayInputStream(b, 0, 50_000), 1 << 20);
            HubStorage.Staged there = other.resume("shared").orElseThrow();
            assertThat(there.size()).isEqualTo(50_000);
            there.append(new ByteArrayInputStream(b, 50_000, 100_000), 1 << 20);
            assertThat(st.size()).isEqualTo(b.length);
            st.publish(d);
            assertThat(Digest.sha256(readAll(other.openBlob(d, 0)))).isEqualTo(d);
        }
    }

    @Test
    void cleanStaged_keepsYoungUploads() {
        HubStorage.Staged st = s.stage("young");
        st.append(new ByteArrayInputStream(bytes(100, 8)), 1 << 20);
        s.cleanStaged(Duration.ofHours(1));
        assertThat(st.size()).isEqualTo(100);
        st.discard();
    }

    @Test
    void meta_putGetStatDeleteAndChildren() {
        s.put("repos/team/app/_tags/1", "sha256:aa".getBytes(StandardCharsets.UTF_8));
        s.put("repos/team/app/_tags/2", "sha256:bb".getBytes(StandardCharsets.UTF_8));
        s.put("repos/team/other/_tags/x", new byte[0]);
        assertThat(s.get("repos/team/app/_tags/1")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("sha256:aa"));
        s.put("repos/team/app/_tags/1", "sha256:cc".getBytes(StandardCharsets.UTF_8));
        assertThat(s.get("repos/team/app/_tags/1")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("sha256:cc"));
        assertThat(s.stat("repos/team/app/_tags/2")).hasValueSatisfying(st -> assertThat(st.size()).isEqualTo(9));
        assertThat(s.stat("repos/team/other/_tags/x")).hasValueSatisfying(st -> assertThat(st.size()).isZero());
        assertThat(s.children("repos/team")).containsExactly("app", "other");
        assertThat(s.children("repos/team/app/_tags")).containsExactly("1", "2");
        assertThat(s.children("")).contains("repos");
        assertThat(s.children("repos/none")).isEmpty();
        assertThat(s.get("repos/team/app")).isEmpty(); // a prefix is no key
        assertThat(s.stat("repos/team/app")).isEmpty();
        assertThat(s.delete("repos/team/app/_tags/1")).isTrue();
        assertThat(s.delete("repos/team/app/_tags/1")).isFalse();
        assertThat(s.delete("repos/team/app/_tags/2")).isTrue();
        assertThat(s.children("repos/team")).containsExactly("other");
    }

    @Test
    void meta_manyChildrenAreAllListed() {
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 1100; i++) want.add(String.format("t%04d", i));
        want.parallelStream().forEach(t -> s.put("repos/many/_tags/" + t, new byte[0]));
        assertThat(s.children("repos/many/_tags")).containsExactlyElementsOf(want);
    }

    @Test
    void meta_keysThatCouldEscapeAreRefused() {
        for (String bad : List.of("../x", "a/../b", "a//b", "/a", "a/", "a/%2e%2e", "a/b c", ".")) {
            assertThatThrownBy(() -> s.put(bad, new byte[0])).as(bad).isInstanceOfSatisfying(AndockException.class,
                    e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> s.stage("../x")).isInstanceOf(AndockException.class);
    }
}
