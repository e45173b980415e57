package io.andock.task;

import io.andock.AndockException;
import io.andock.container.LogConfig;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The container log, {@code <dir>/container.log}: a header, then records, each
 * <pre>SECONDS[.FRACTION] SK LEN\n PAYLOAD(LEN bytes) \n</pre>
 * S is the stream (1 stdout, 2 stderr; a TTY's one stream is 1), K is {@code F} (a line: its newline was left
 * out of the payload) or {@code P} (bytes as they came: part of a line, or for a TTY a whole read, which may
 * hold newlines). The payload is any bytes (the length, not a delimiter, ends it), so NUL and invalid UTF-8
 * pass. Records are appended by the monitor's {@code andock-log.sh} (detached) or by {@link Writer} (attached);
 * a record being appended is recognised by its length and waited for. A log without the header is the raw
 * output of a container started before records existed (read as one stdout stream, see {@link ContainerLogs}).
 */
final class LogFile {
    static final byte[] HEADER = "\0andock-log 2\n".getBytes(StandardCharsets.ISO_8859_1);
    /** The most a header line can be: "SECONDS.NNNNNNNNN SK LEN\n". */
    private static final int MAX_HEAD = 64;

    private LogFile() {}

    /** One record: its time (ns since the epoch), stream, whether it ends a line ({@code F}) and its payload. */
    record Record(long nanos, int stream, boolean line, byte[] payload) {
        /** The bytes as the container wrote them. */
        byte[] bytes() {
            if (!line) return payload;
            byte[] b = Arrays.copyOf(payload, payload.length + 1);
            b[payload.length] = '\n';
            return b;
        }
    }

    static boolean stamped(Path log) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            return Arrays.equals(in.readNBytes(HEADER.length), HEADER);
        }
    }

    /**
     * Makes {@code log} a record log before a start: a new one gets the header; a raw log of an older andock is
     * rewritten as records (each line dated with the file's modification time, on stdout), so that the output of
     * earlier runs stays and later runs append records. Call only while the container is not running.
     */
    static void prepare(Path log) {
        try {
            if (!Files.exists(log) || Files.size(log) == 0) {
                Files.write(log, HEADER);
                return;
            }
            if (stamped(log)) return;
            long nanos = Files.getLastModifiedTime(log).toInstant().toEpochMilli() * 1_000_000;
            Path tmp = log.resolveSibling(log.getFileName() + ".tmp");
            try (InputStream in = Files.newInputStream(log); Writer w = new Writer(tmp, false, () -> nanos, LogConfig.DEFAULT)) {
                w.out.write(HEADER);
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) w.write(1, buf, 0, n);
            }
            Files.move(tmp, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw AndockException.wrap("prepare log " + log, e);
        }
    }

    /**
     * The log's files, oldest first: the rotated ones ({@code LOG.N} ... {@code LOG.1}, see {@link #rotate}), then
     * {@code log} itself (listed even while missing for a moment during a rotation).
     */
    static List<Path> files(Path log) {
        List<Path> out = new ArrayList<>();
        for (int k = 1; k < LogConfig.MAX_FILES && Files.exists(rotated(log, k)); k++) out.add(0, rotated(log, k));
        out.add(log);
        return out;
    }

    static Path rotated(Path log, int k) {
        return log.resolveSibling(log.getFileName() + "." + k);
    }

    /**
     * Rotates {@code log}, keeping {@code keep} files: as {@code andock-log.sh rotate} does (the two must agree):
     * {@code LOG.k} becomes {@code LOG.k+1}, the last dropped; {@code LOG.1} is linked to {@code log}; a new log
     * with the header is renamed over {@code log}. Only the log's one writer calls this, having closed it.
     */
    static void rotate(Path log, int keep) throws IOException {
        for (int i = keep - 1; i > 1; i--) {
            if (Files.exists(rotated(log, i - 1))) Files.move(rotated(log, i - 1), rotated(log, i), StandardCopyOption.REPLACE_EXISTING);
        }
        Path fresh = log.resolveSibling(log.getFileName() + ".new");
        Files.write(fresh, HEADER);
        if (keep > 1) {
            Files.deleteIfExists(rotated(log, 1));
            try {
                Files.createLink(rotated(log, 1), log);
            } catch (IOException | UnsupportedOperationException e) {
                Files.move(log, rotated(log, 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(fresh, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The identity of the file at {@code p} (device and inode), or null while it is missing. */
    static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Appends records; thread-safe, each record one {@code write}: the other stream's writer may share the file.
     * With a {@link LogConfig#maxSize()} the writer is the log's only one and rotates it before it would pass that.
     */
    static final class Writer implements Closeable {
        private final Path log;
        private FileOutputStream out;
        private final java.util.function.LongSupplier clock;
        private final long maxSize;
        private final int keep;
        private long size;

        Writer(Path log) throws IOException {
            this(log, LogConfig.DEFAULT);
        }

        Writer(Path log, LogConfig config) throws IOException {
            this(log, true, Writer::now, config);
        }

        private Writer(Path log, boolean append, java.util.function.LongSupplier clock, LogConfig config) throws IOException {
            this.log = log;
            this.out = new FileOutputStream(log.toFile(), append);
            this.clock = clock;
            this.maxSize = config.maxSize();
            this.keep = config.maxFiles();
            this.size = maxSize > 0 ? Files.size(log) : 0;
        }

        private static long now() {
            Instant i = Instant.now();
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        }

        /** {@code len} bytes of {@code stream}, as they came: whole lines as F records, the rest as one P (not held back). */
        synchronized void write(int stream, byte[] b, int off, int len) throws IOException {
            long t = clock.getAsLong();
            int start = off, end = off + len;
            for (int i = off; i < end; i++) {
                if (b[i] == '\n') {
                    record(t, stream, true, b, start, i - start);
                    start = i + 1;
                }
            }
            if (start < end) record(t, stream, false, b, start, end - start);
        }

        private void record(long nanos, int stream, boolean line, byte[] b, int off, int len) throws IOException {
            byte[] head = (stamp(nanos) + " " + stream + (line ? "F " : "P ") + len + "\n").getBytes(StandardCharsets.US_ASCII);
            byte[] r = new byte[head.length + len + 1];
            System.arraycopy(head, 0, r, 0, head.length);
            System.arraycopy(b, off, r, head.length, len);
            r[r.length - 1] = '\n';
            if (maxSize > 0 && size > HEADER.length && size + r.length > maxSize) {
                out.close();
                rotate(log, keep);
                out = new FileOutputStream(log.toFile(), true);
                size = HEADER.length;
            }
            out.write(r);
            size += r.length;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    static String stamp(long nanos) {
        return Math.floorDiv(nanos, 1_000_000_000L) + "." + String.format("%09d", Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Reads records from an offset; at the end (or in a record still being written) {@link #next} gives null. */
    static final class Reader implements Closeable {
        private final RandomAccessFile f;
        private final byte[] buf = new byte[65536];
        private long bufAt = 0;
        private int bufLen = 0;
        private long pos;

        Reader(Path log, long pos) throws IOException {
            this.f = new RandomAccessFile(log.toFile(), "r");
            this.pos = Math.max(pos, HEADER.length);
        }

        /** The offset of the next record. */
        long position() {
            return pos;
        }

        void seek(long pos) {
            this.pos = pos;
        }

        Record next() throws IOException {
            if (!fill(pos, MAX_HEAD)) {
                if (available(pos) == 0) return null;
            }
            int h = (int) (pos - bufAt), nl = -1;
            for (int i = h; i < bufLen && i < h + MAX_HEAD; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl < 0) {
                if (available(pos) < MAX_HEAD) return null; // being written
                throw new IOException("corrupt log record at offset " + pos);
            }
            String head = new String(buf, h, nl - h, StandardCharsets.US_ASCII);
            String[] p = head.split(" ");
            if (p.length != 3 || p[1].length() != 2) throw new IOException("corrupt log record at offset " + pos + ": " + head);
            long nanos = parseStamp(p[0]);
            int len = Integer.parseInt(p[2]);
            long payloadAt = pos + (nl - h) + 1;
            if (available(payloadAt) < len + 1L) return null;
            byte[] payload = new byte[len];
            if (len + 1 <= buf.length) {
                fill(payloadAt, len + 1);
                System.arraycopy(buf, (int) (payloadAt - bufAt), payload, 0, len);
            } else {
                f.seek(payloadAt);
                f.readFully(payload);
            }
            pos = payloadAt + len + 1;
            return new Record(nanos, p[1].charAt(0) - '0', p[1].charAt(1) == 'F', payload);
        }

        private long available(long at) throws IOException {
            return f.length() - at;
        }

        /** Makes buf hold [at, at+n) as far as the file has it; false if it has fewer bytes. */
        private boolean fill(long at, int n) throws IOException {
            if (at >= bufAt && at + n <= bufAt + bufLen) return true;
            f.seek(at);
            bufAt = at;
            bufLen = 0;
            int r;
            while (bufLen < buf.length && (r = f.read(buf, bufLen, buf.length - bufLen)) > 0) bufLen += r;
            return bufLen >= n;
        }

        @Override
        public void close() throws IOException {
            f.close();
        }
    }

    static long parseStamp(String s) {
        int dot = s.indexOf('.');
        if (dot < 0) return Long.parseLong(s) * 1_000_000_000L;
        String frac = (s.substring(dot + 1) + "000000000").substring(0, 9);
        return Long.parseLong(s.substring(0, dot)) * 1_000_000_000L + Long.parseLong(frac);
    }
}
