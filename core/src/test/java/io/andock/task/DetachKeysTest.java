package io.andock.task;

import io.andock.AndockException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Docker's detach keys: the format, and a stdin with the sequence taken out. */
@Tag("unit")
class DetachKeysTest {

    @Test
    void parse_dockersFormat() {
        assertThat(DetachKeys.parse(null).bytes()).containsExactly(16, 17);
        assertThat(DetachKeys.parse("").bytes()).containsExactly(16, 17);
        assertThat(DetachKeys.parse("ctrl-x").bytes()).containsExactly(24);
        assertThat(DetachKeys.parse("ctrl-@,ctrl-[,ctrl-_,a").bytes()).containsExactly(0, 27, 31, 'a');
        for (String bad : new String[]{"ctrl-", "ctrl-1", "ctrl-xx", "ab", ",", "ctrl-p,", "é"}) {
            assertThatThrownBy(() -> DetachKeys.parse(bad)).as(bad).isInstanceOfSatisfying(AndockException.class,
                    e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT));
        }
    }

    @Test
    void theSequence_endsTheStream_afterWhatCameBefore_andRunsOnDetachOnce() throws IOException {
        AtomicInteger detached = new AtomicInteger();
        InputStream in = DetachKeys.DEFAULT.watch(stream("hello\n\u0010\u0011after"), detached::incrementAndGet);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThatThrownBy(() -> copy(in, got)).isInstanceOf(DetachKeys.Detached.class);
        assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(detached).hasValue(1);
        assertThatThrownBy(in::read).isInstanceOf(DetachKeys.Detached.class);
    }

    @Test
    void aBrokenSequence_passesThrough_inOrder() throws IOException {
        InputStream in = DetachKeys.DEFAULT.watch(stream("a\u0010b\u0010\u0010\u0011"), () -> { });
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThatThrownBy(() -> copy(in, got)).isInstanceOf(DetachKeys.Detached.class);
        assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("a\u0010b\u0010");
    }

    @Test
    void aPartialSequenceAtEof_isInput() throws IOException {
        InputStream in = DetachKeys.DEFAULT.watch(stream("x\u0010"), () -> { });
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        copy(in, got);
        assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("x\u0010");
    }

    @Test
    void keysSplitAcrossReads_areSeen() {
        // one byte per read, as a terminal sends them
        InputStream oneAtATime = new InputStream() {
            private final byte[] b = "ab\u0018".getBytes(StandardCharsets.UTF_8);
            private int i;

            @Override
            public int read() {
                return i < b.length ? b[i++] : -1;
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                if (i >= b.length) return -1;
                buf[off] = b[i++];
                return 1;
            }
        };
        InputStream in = DetachKeys.parse("b,ctrl-x").watch(oneAtATime, () -> { });
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThatThrownBy(() -> copy(in, got)).isInstanceOf(DetachKeys.Detached.class);
        assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("a");
    }

    @Test
    void smallReads_getEveryByte() throws IOException {
        InputStream in = DetachKeys.DEFAULT.watch(stream("0123456789\u0010z"), () -> { });
        StringBuilder got = new StringBuilder();
        byte[] two = new byte[2];
        int n;
        while ((n = in.read(two, 0, 2)) >= 0) got.append(new String(two, 0, n, StandardCharsets.ISO_8859_1));
        assertThat(got.toString()).isEqualTo("0123456789\u0010z");
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[64];
        int n;
        while ((n = in.read(buf)) >= 0) out.write(buf, 0, n);
    }
}
