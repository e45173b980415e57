package io.andock.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads an ingest while it is being written: blocks until more bytes arrive, ends when the ingest is committed
 * and all bytes were read, fails when the ingest fails. The file channel stays valid across the rename that
 * publishes the blob.
 */
final class FollowInputStream extends InputStream {
    private final IngestState state;
    private final FileChannel channel;
    private long pos;

    FollowInputStream(IngestState state, FileChannel channel) {
        this.state = state;
        this.channel = channel;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        long avail = state.await(pos);
        if (avail <= pos) return -1; // done and fully read
        int want = (int) Math.min(len, avail - pos);
        int n = channel.read(ByteBuffer.wrap(b, off, want), pos);
        if (n < 0) throw new IOException("ingest file shorter than announced");
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
