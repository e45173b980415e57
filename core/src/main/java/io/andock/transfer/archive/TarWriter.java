package io.andock.transfer.archive;

import io.andock.AndockException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a ustar archive of regular files and directories to a stream, as docker save does (mtime 0, root
 * owned). Long names use a GNU long-name entry. The size of each file must be known up front; a stream that
 * delivers another number of bytes is an error (the archive is then unusable).
 */
public final class TarWriter implements Closeable {
    private final OutputStream out;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    public void directory(String name) throws IOException {
        header(name.endsWith("/") ? name : name + "/", 0, '5', 0755);
    }

    public void file(String name, byte[] data) throws IOException {
        header(name, data.length, '0', 0644);
        out.write(data);
        pad(data.length);
    }

    public void file(String name, long size, InputStream in) throws IOException {
        header(name, size, '0', 0644);
        byte[] buf = new byte[128 * 1024];
        long left = size;
        for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
            out.write(buf, 0, n);
            left -= n;
        }
        if (left != 0 || in.read() >= 0) {
            throw AndockException.corrupt(name + ": size " + size + " expected, " + (size - left) + "+ received");
        }
        pad(size);
    }

    private void pad(long size) throws IOException {
        int rem = (int) (size % 512);
        if (rem != 0) out.write(new byte[512 - rem]);
    }

    private void header(String name, long size, char type, int mode) throws IOException {
        byte[] nb = name.getBytes(StandardCharsets.UTF_8);
        if (nb.length > 100) {
            header("././@LongLink", nb.length + 1, 'L', 0644);
            out.write(nb);
            out.write(0);
            pad(nb.length + 1);
            nb = java.util.Arrays.copyOf(nb, 100);
        }
        byte[] h = new byte[512];
        System.arraycopy(nb, 0, h, 0, nb.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        if (size < 077777777777L) {
            octal(h, 124, 12, size);
        } else {
            h[124] = (byte) 0x80;
            for (int i = 0; i < 8; i++) h[135 - i] = (byte) (size >>> (8 * i));
        }
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        h[155] = ' ';
        out.write(h);
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
        byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(b.length, len - 1));
        h[off + len - 1] = 0;
    }

    /** Writes the end-of-archive marker and flushes; does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        out.write(new byte[1024]);
        out.flush();
    }
}
