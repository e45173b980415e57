package io.andock.content;

import io.andock.AndockException;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.os.ProcessLock;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/** An ingest into a file of the store's ingest directory; see {@link Ingest}. Used by one thread. */
final class FileIngest implements Ingest {
    private static final int BUF = 128 * 1024;
    private final ContentStore store;
    private final Descriptor expected;
    private final Path data;
    private final ProcessLock lock;
    private final FileChannel channel;
    private final MessageDigest md;
    private final IngestState state;
    private final long offset;
    private long written;
    private boolean hashed = true;
    private boolean ended;

    private FileIngest(ContentStore store, Descriptor expected, Path data, ProcessLock lock, FileChannel channel,
                       MessageDigest md, long offset) {
        this.store = store;
        this.expected = expected;
        this.data = data;
        this.lock = lock;
        this.channel = channel;
        this.md = md;
        this.offset = offset;
        this.written = offset;
        this.state = data == null ? null : new IngestState(data, offset);
        if (state != null) store.register(expected.digest(), state);
    }

    static FileIngest existing(Descriptor expected) {
        FileIngest i = new FileIngest(null, expected, null, null, null, null, expected.size());
        i.ended = true;
        return i;
    }

    /** Opens the data file, keeping (and hashing) a plausible prefix from an interrupted ingest. */
    static FileIngest start(ContentStore store, Descriptor expected, Path data, ProcessLock lock) {
        try {
            FileChannel ch = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            MessageDigest md = expected.digest().newDigester();
            long have = ch.size();
            if (have > expected.size()) {
                ch.truncate(0);
                have = 0;
            }
            ByteBuffer buf = ByteBuffer.allocate(BUF);
            for (long pos = 0; pos < have; ) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n <= 0) break;
                md.update(buf.array(), 0, n);
                pos += n;
            }
            ch.position(have);
            return new FileIngest(store, expected, data, lock, ch, md, have);
        } catch (IOException e) {
            throw AndockException.wrap("begin ingest of " + expected.digest(), e);
        }
    }

    @Override
    public Descriptor expected() {
        return expected;
    }

    @Override
    public boolean alreadyExists() {
        return data == null;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public MessageDigest hashState() {
        try {
            return md == null ? expected.digest().newDigester() : (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(InputStream in) {
        if (ended) throw new IllegalStateException("ingest ended");
        if (in instanceof VerifyingInputStream v && v.expected().digest().equals(expected.digest())
                && v.expected().size() == expected.size()) {
            hashed = false;
        }
        byte[] buf = new byte[BUF];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (n == 0) continue;
                if (written + n > expected.size()) {
                    throw AndockException.corrupt("size " + expected.size() + " expected, at least " + (written + n) + " received");
                }
                if (hashed) md.update(buf, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) channel.write(bb);
                written += n;
                state.advance(written);
            }
        } catch (AndockException e) {
            if (e.kind() == AndockException.Kind.CORRUPT) abort(e);
            throw e;
        } catch (IOException e) {
            throw AndockException.wrap("write " + expected.digest(), e);
        }
    }

    @Override
    public Descriptor commit() {
        if (data == null) return expected;
        if (ended) throw new IllegalStateException("ingest ended");
        try {
            if (written != expected.size()) {
                throw AndockException.corrupt("size " + expected.size() + " expected, " + written + " received");
            }
            if (hashed || offset > 0) {
                Digest got = Digest.of(expected.digest().algorithm(), md);
                if (hashed && !got.equals(expected.digest())) {
                    throw AndockException.corrupt("digest mismatch: expected " + expected.digest() + ", got " + got);
                }
            }
            channel.force(true);
            synchronized (state) {
                ContentStore.publish(data, store.blobPath(expected.digest()));
                state.complete(store.blobPath(expected.digest()));
            }
            end();
            return expected;
        } catch (AndockException e) {
            abort(e);
            throw e;
        } catch (IOException e) {
            AndockException x = AndockException.wrap("commit " + expected.digest(), e);
            abort(x);
            throw x;
        }
    }

    @Override
    public void abort(Throwable cause) {
        if (ended) return;
        try {
            Files.deleteIfExists(data);
        } catch (IOException ignored) {
            // a leftover is cleaned later and never visible as a blob
        }
        state.fail(cause);
        end();
    }

    @Override
    public void close() {
        if (ended) return;
        state.fail(null);
        end();
    }

    private void end() {
        ended = true;
        store.unregister(expected.digest(), state);
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        lock.close();
    }
}
