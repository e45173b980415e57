package io.andock.daemon.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The multiplexed stdout/stderr format of non-TTY attach, exec and logs: each write becomes one frame,
 * {@code [stream][0][0][0][size uint32 BE][payload]}, written to the shared pipe in one piece.
 */
public final class Frames extends OutputStream {
    public static final int STDOUT = 1, STDERR = 2;
    public static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
    public static final String RAW = "application/vnd.docker.raw-stream";
    private final OutputStream pipe;
    private final int stream;

    public Frames(OutputStream pipe, int stream) {
        this.pipe = pipe;
        this.stream = stream;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) return;
        byte[] frame = new byte[8 + len];
        frame[0] = (byte) stream;
        frame[4] = (byte) (len >>> 24);
        frame[5] = (byte) (len >>> 16);
        frame[6] = (byte) (len >>> 8);
        frame[7] = (byte) len;
        System.arraycopy(b, off, frame, 8, len);
        synchronized (pipe) {
            pipe.write(frame, 0, frame.length);
        }
    }

    @Override
    public void flush() throws IOException {
        pipe.flush();
    }

    /** The content type for a stream: multiplexed only without a TTY and from API 1.42 on. */
    public static String contentType(boolean tty, Exchange x) {
        return !tty && x.atLeast("1.42") ? MULTIPLEXED : RAW;
    }
}
