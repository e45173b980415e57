package io.andock.runtime;

import io.andock.AndockException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Reads a container log: all or the last N lines, then (follow) new bytes until the container has stopped. */
final class ContainerLogs {
    private ContainerLogs() {}

    static void copy(Path log, LogOptions o, OutputStream out, BooleanSupplier running) {
        if (o.timestamps()) {
            throw new AndockException(AndockException.Kind.UNSUPPORTED,
                    "--timestamps: the container log has no per-line times (it is the raw output, written by a shell monitor)");
        }
        try {
            if (!Files.exists(log)) {
                if (!o.follow()) return;
                Files.createFile(log);
            }
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                long pos = o.tail() < 0 ? 0 : tailOffset(f, o.tail());
                pos = drain(f, pos, out);
                while (o.follow()) {
                    boolean alive = running.getAsBoolean();
                    long before = pos;
                    pos = drain(f, pos, out);
                    if (!alive && pos == before) break;
                    if (pos == before) ContainerService.sleep(100);
                }
            }
            out.flush();
        } catch (IOException e) {
            throw AndockException.wrap("read log", e);
        }
    }

    private static long drain(RandomAccessFile f, long pos, OutputStream out) throws IOException {
        byte[] buf = new byte[65536];
        f.seek(pos);
        int n;
        while ((n = f.read(buf)) > 0) {
            out.write(buf, 0, n);
            pos += n;
        }
        out.flush();
        return pos;
    }

    /** The offset where the last {@code lines} lines start (a final line without newline counts). */
    static long tailOffset(RandomAccessFile f, int lines) throws IOException {
        long len = f.length();
        if (lines == 0) return len;
        long pos = len;
        int seen = 0;
        byte[] buf = new byte[8192];
        boolean first = true;
        while (pos > 0) {
            int n = (int) Math.min(buf.length, pos);
            pos -= n;
            f.seek(pos);
            f.readFully(buf, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                if (buf[i] == '\n') {
                    if (first && pos + i == len - 1) { first = false; continue; } // the last line's own newline
                    if (++seen == lines) return pos + i + 1;
                }
                first = false;
            }
        }
        return 0;
    }
}
