package io.andock.daemon.http;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stdout/stderr multiplexed stream: an 8-byte header per write, big-endian size, never split or interleaved. */
@Tag("unit")
class FramesTest {

    record Frame(int stream, byte[] payload) {}

    /** Reads frames as the docker CLI's stdcopy does. */
    static List<Frame> read(byte[] all) throws IOException {
        List<Frame> out = new ArrayList<>();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
        while (in.available() > 0) {
            byte[] h = new byte[8];
            in.readFully(h);
            assertThat(h[1]).isZero();
            assertThat(h[2]).isZero();
            assertThat(h[3]).isZero();
            int size = ((h[4] & 0xff) << 24) | ((h[5] & 0xff) << 16) | ((h[6] & 0xff) << 8) | (h[7] & 0xff);
            byte[] p = new byte[size];
            in.readFully(p);
            out.add(new Frame(h[0], p));
        }
        return out;
    }

    @Test
    void write_stdoutAndStderr_haveTheirStreamByteAndSize() throws IOException {
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        new Frames(pipe, Frames.STDOUT).write("hi\n".getBytes(StandardCharsets.UTF_8));
        new Frames(pipe, Frames.STDERR).write("oops".getBytes(StandardCharsets.UTF_8));
        assertThat(Arrays.copyOf(pipe.toByteArray(), 11)).containsExactly(1, 0, 0, 0, 0, 0, 0, 3, 'h', 'i', '\n');
        List<Frame> frames = read(pipe.toByteArray());
        assertThat(frames).hasSize(2);
        assertThat(frames.get(1).stream()).isEqualTo(2);
        assertThat(new String(frames.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("oops");
    }

    @Test
    void write_singleByte_andSlice_andEmpty() throws IOException {
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        Frames f = new Frames(pipe, Frames.STDOUT);
        f.write('x');
        f.write("abcdef".getBytes(StandardCharsets.UTF_8), 2, 3);
        f.write(new byte[0]);
        f.write(new byte[10], 5, 0);
        List<Frame> frames = read(pipe.toByteArray());
        assertThat(frames).extracting(fr -> new String(fr.payload(), StandardCharsets.UTF_8)).containsExactly("x", "cde");
    }

    @Test
    void write_largePayload_usesAllFourSizeBytes() throws IOException {
        byte[] big = new byte[0x01_02_03];
        Arrays.fill(big, (byte) 7);
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        new Frames(pipe, Frames.STDERR).write(big);
        byte[] all = pipe.toByteArray();
        assertThat(Arrays.copyOf(all, 8)).containsExactly(2, 0, 0, 0, 0, 1, 2, 3);
        assertThat(read(all).get(0).payload()).isEqualTo(big);
    }

    @Test
    void write_fromTwoThreadsOnOnePipe_neverInterleavesFrames() throws Exception {
        ByteArrayOutputStream pipe = new ByteArrayOutputStream() {
            @Override
            public void write(byte[] b, int off, int len) {
                // one byte at a time, so that an unsynchronised writer would interleave
                for (int i = 0; i < len; i++) super.write(b[off + i]);
                Thread.yield();
            }
        };
        Frames out = new Frames(pipe, Frames.STDOUT), err = new Frames(pipe, Frames.STDERR);
        byte[] a = new byte[100], b = new byte[100];
        Arrays.fill(a, (byte) 'o');
        Arrays.fill(b, (byte) 'e');
        Thread t1 = new Thread(() -> { try { for (int i = 0; i < 200; i++) out.write(a); } catch (IOException e) { throw new RuntimeException(e); } });
        Thread t2 = new Thread(() -> { try { for (int i = 0; i < 200; i++) err.write(b); } catch (IOException e) { throw new RuntimeException(e); } });
        t1.start();
        t2.start();
        t1.join();
        t2.join();
        List<Frame> frames = read(pipe.toByteArray());
        assertThat(frames).hasSize(400);
        for (Frame f : frames) assertThat(f.payload()).containsOnly(f.stream() == 1 ? (byte) 'o' : (byte) 'e');
    }
}
