package io.andock.sync;

import io.andock.AndockException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinaryDeltaTest {
    private static byte[] program(long seed, int n) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i += 4) {
            int word = r.nextInt(64) < 60 ? 0x0040_0000 + (i & ~0xff) : r.nextInt();
            for (int k = 0; k < 4 && i + k < n; k++) b[i + k] = (byte) (word >>> (8 * k));
        }
        return b;
    }

    @Test
    void delta_ofAShiftedRecompiledFile_isSmallAndRoundTrips() {
        byte[] old = program(1, 400_000);
        byte[] neu = new byte[old.length + 1000];
        System.arraycopy(old, 0, neu, 0, 100_000);
        System.arraycopy(old, 100_000, neu, 101_000, old.length - 100_000);
        for (int i = 101_000; i < neu.length; i += 64) neu[i] += 4; // moved addresses
        byte[] d = BinaryDelta.diff(old, neu);
        assertThat(BinaryDelta.apply(old, d, neu.length)).isEqualTo(neu);
        assertThat(d.length).isLessThan(neu.length / 20);
    }

    @Test
    void delta_ofUnrelatedOrEmptyFiles_roundTrips() {
        byte[] a = new byte[5000];
        new Random(2).nextBytes(a);
        byte[] b = new byte[3000];
        new Random(3).nextBytes(b);
        assertThat(BinaryDelta.apply(a, BinaryDelta.diff(a, b), b.length)).isEqualTo(b);
        assertThat(BinaryDelta.apply(a, BinaryDelta.diff(a, new byte[0]), 0)).isEmpty();
        assertThat(BinaryDelta.apply(new byte[0], BinaryDelta.diff(new byte[0], b), b.length)).isEqualTo(b);
    }

    @Test
    void hostileDeltas_areCorrupt() {
        byte[] old = program(4, 10_000);
        byte[] neu = old.clone();
        neu[500] ^= 1;
        byte[] d = BinaryDelta.diff(old, neu);
        assertThatThrownBy(() -> BinaryDelta.apply(old, Arrays.copyOf(d, d.length / 2), neu.length)).isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.CORRUPT));
        assertThatThrownBy(() -> BinaryDelta.apply(old, d, neu.length - 1)).hasMessageContaining("more than");
        assertThatThrownBy(() -> BinaryDelta.apply(new byte[10], d, neu.length)).hasMessageContaining("leaves");
        assertThatThrownBy(() -> BinaryDelta.apply(old, new byte[]{1, 2, 3}, 100)).isInstanceOf(AndockException.class);
    }
}
