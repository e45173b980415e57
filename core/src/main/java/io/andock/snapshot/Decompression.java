package io.andock.snapshot;

import io.andock.image.MediaTypes.Compression;
import io.airlift.compress.zstd.ZstdInputStream;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Opens a layer blob as its uncompressed tar stream. The result is not buffered beyond what the decoder needs; the
 * caller closes it (which closes {@code in}).
 */
public final class Decompression {
    static final int BUFFER = 64 * 1024;

    private Decompression() {}

    /**
     * Decompresses {@code in} (on a read-ahead thread, so that decompression and file writing use two cores): gzip (concatenated members are read as one stream), zstd (frames concatenated too),
     * none, or {@link Compression#DETECT} from the magic bytes (gzip {@code 1f 8b}, zstd {@code 28 b5 2f fd},
     * anything else is taken as an uncompressed tar).
     */
    /**
     * {@code in} read ahead on a thread of its own (as a compressed layer's decompression is): for a layer that is
     * made as it is read, such as the tar an andock hub sync rebuilds, so that the making and the file writing use
     * two cores. Closing it stops the thread and closes {@code in}.
     */
    public static InputStream readAhead(InputStream in) {
        return new ReadAhead(in);
    }

    public static InputStream open(InputStream in, Compression compression) throws IOException {
        InputStream buffered = new BufferedInputStream(in, BUFFER);
        Compression c = compression == Compression.DETECT ? detect(buffered) : compression;
        return switch (c) {
            case NONE -> buffered;
            case GZIP -> new ReadAhead(new GZIPInputStream(new ClaimsMore(buffered), BUFFER));
            case ZSTD -> new ReadAhead(new ZstdInputStream(buffered));
            case DETECT -> throw new IllegalStateException();
        };
    }

    /** The compression of a stream from its first bytes; {@code in} must support mark/reset. */
    static Compression detect(InputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) return Compression.GZIP;
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    /**
     * {@link GZIPInputStream} looks for a further member only when {@code available() > 0}; a stream still being
     * downloaded may say 0 and the layer would end early. Claiming more makes it try: at the real end of the stream
     * its header read meets EOF and it ends normally.
     */
    private static final class ClaimsMore extends FilterInputStream {
        ClaimsMore(InputStream in) {
            super(in);
        }

        @Override
        public int available() {
            return 1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }
    }
}
