package io.andock.task;

import io.andock.os.Interruptible;
import io.andock.AndockException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.BooleanSupplier;

/**
 * Reads a container log ({@link LogFile}): the last N lines (of both streams, counted before the stream and time
 * selection, as Docker does), records between {@code since} and {@code until}, stdout to {@code out} and stderr
 * to {@code err}, with {@code -t} each line prefixed by its record's time as Docker prints it
 * ({@code 2026-11-28T13:01:02.120000000Z }); then (follow) new records until the container has stopped.
 * A raw log (an older andock's, still being written by its monitor) is one stdout stream whose every line has
 * the file's modification time.
 */
final class ContainerLogs {
    static final DateTimeFormatter RFC3339_NANO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final long GRACE_MS = 150;

    private ContainerLogs() {}

    static void copy(Path log, LogOptions o, OutputStream out, OutputStream err, BooleanSupplier running) {
        try {
            if (!Files.exists(log) || Files.size(log) == 0) {
                if (!o.follow()) return;
                if (!Files.exists(log)) LogFile.prepare(log);
            }
            if (Files.size(log) >= LogFile.HEADER.length && LogFile.stamped(log)) {
                new Sink(o, out, err).records(log, running);
            } else {
                raw(log, o, out, running);
            }
        } catch (IOException e) {
            throw AndockException.wrap("read log", e);
        }
    }

    /** Writes records to the two streams, a stamp before each line when asked. */
    private static final class Sink {
        private final LogOptions o;
        private final OutputStream out, err;
        private final boolean[] lineStart = {true, true, true};

        Sink(LogOptions o, OutputStream out, OutputStream err) {
            this.o = o;
            this.out = out;
            this.err = err;
        }

        void records(Path log, BooleanSupplier running) throws IOException {
            try (LogFile.Reader r = new LogFile.Reader(log, 0)) {
                long[] start = o.tail() < 0 ? new long[]{LogFile.HEADER.length, 0} : tailStart(r, o.tail());
                r.seek(start[0]);
                int skip = (int) start[1];
                boolean gone = false;
                while (true) {
                    LogFile.Record rec;
                    boolean any = false;
                    while ((rec = r.next()) != null) {
                        emit(rec, skip);
                        skip = 0;
                        any = true;
                    }
                    flush();
                    if (!o.follow() || pastUntil()) return;
                    if (!any) {
                        if (gone) return;
                        // after the exit, the writers may still be on their last records: one more look
                        if (!running.getAsBoolean()) gone = true;
                        Interruptible.sleep(gone ? GRACE_MS : 100);
                    }
                }
            }
        }

        private boolean pastUntil() {
            return o.until() != null && Instant.now().isAfter(o.until());
        }

        private void emit(LogFile.Record rec, int skip) throws IOException {
            if (rec.stream() == 2 ? !o.stderr() : !o.stdout()) return;
            Instant t = Instant.ofEpochSecond(0, rec.nanos());
            if (o.since() != null && t.isBefore(o.since())) return;
            if (o.until() != null && t.isAfter(o.until())) return;
            byte[] b = rec.bytes();
            write(rec.stream() == 2 ? 2 : 1, t, b, skip, b.length);
        }

        void write(int stream, Instant t, byte[] b, int from, int to) throws IOException {
            OutputStream s = stream == 2 ? err : out;
            if (!o.timestamps()) {
                s.write(b, from, to - from);
                return;
            }
            byte[] stamp = (RFC3339_NANO.format(t) + " ").getBytes(StandardCharsets.US_ASCII);
            int i = from;
            while (i < to) {
                if (lineStart[stream]) s.write(stamp);
                int j = i;
                while (j < to && b[j] != '\n') j++;
                if (j < to) j++;
                s.write(b, i, j - i);
                lineStart[stream] = b[j - 1] == '\n';
                i = j;
            }
        }

        void flush() throws IOException {
            out.flush();
            if (err != out) err.flush();
        }

        /** Where the last {@code lines} lines start: {record offset, bytes to skip in it}. */
        static long[] tailStart(LogFile.Reader r, int lines) throws IOException {
            long[][] ring = new long[Math.max(lines, 1)][];
            int count = 0;
            long[] pending = {r.position(), 0};
            LogFile.Record rec;
            long at = r.position();
            while ((rec = r.next()) != null) {
                byte[] b = rec.bytes();
                for (int i = 0; i < b.length; i++) {
                    if (pending != null) {
                        ring[count++ % ring.length] = pending;
                        pending = null;
                    }
                    if (b[i] == '\n') pending = i + 1 < b.length ? new long[]{at, i + 1} : new long[]{r.position(), 0};
                }
                at = r.position();
            }
            if (lines == 0) return new long[]{r.position(), 0};
            if (count < lines) return new long[]{LogFile.HEADER.length, 0};
            return ring[count % ring.length];
        }
    }

    /** A raw log: bytes as stdout, dated by the file's modification time. */
    private static void raw(Path log, LogOptions o, OutputStream out, BooleanSupplier running) throws IOException {
        Sink sink = new Sink(o, out, out);
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long pos = o.tail() < 0 ? 0 : tailOffset(f, o.tail());
            pos = drain(log, f, pos, sink);
            while (o.follow() && !sink.pastUntil()) {
                boolean alive = running.getAsBoolean();
                long before = pos;
                pos = drain(log, f, pos, sink);
                if (!alive && pos == before) break;
                if (pos == before) Interruptible.sleep(100);
            }
        }
        out.flush();
    }

    private static long drain(Path log, RandomAccessFile f, long pos, Sink sink) throws IOException {
        LogOptions o = sink.o;
        Instant t = Files.getLastModifiedTime(log).toInstant();
        boolean shown = o.stdout() && (o.since() == null || !t.isBefore(o.since())) && (o.until() == null || !t.isAfter(o.until()));
        byte[] buf = new byte[65536];
        f.seek(pos);
        int n;
        while ((n = f.read(buf)) > 0) {
            if (shown) sink.write(1, t, buf, 0, n);
            pos += n;
        }
        sink.flush();
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
