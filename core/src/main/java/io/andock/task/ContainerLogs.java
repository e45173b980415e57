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
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import io.andock.container.LogConfig;

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
        /** Whether the last {@link #drain} found records. */
        private boolean found;

        Sink(LogOptions o, OutputStream out, OutputStream err) {
            this.o = o;
            this.out = out;
            this.err = err;
        }

        /**
         * The records of the log's files in order (the rotated ones first, {@link LogFile#files}); following, the
         * current file until it is rotated (another file is then at its path), then the files that followed it.
         */
        void records(Path log, BooleanSupplier running) throws IOException {
            List<Path> files = LogFile.files(log);
            int first = 0;
            long[] start = {LogFile.HEADER.length, 0};
            if (o.tail() >= 0) {
                int need = o.tail();
                for (int k = files.size() - 1; k >= 0; k--) {
                    long[] t = tailOf(files.get(k), need);
                    if (t[2] >= need || k == 0) {
                        first = k;
                        start = t;
                        break;
                    }
                    need -= (int) t[2];
                }
            }
            int skip = (int) start[1];
            for (int k = first; k < files.size() - 1; k++) {
                try (LogFile.Reader r = new LogFile.Reader(files.get(k), k == first ? start[0] : 0)) {
                    skip = drain(r, skip);
                } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
                    // rotated out while being read: what it held is gone, as with Docker
                }
            }
            flush();
            Current cur = Current.open(log, first == files.size() - 1 ? start[0] : 0);
            try {
                boolean gone = false;
                while (true) {
                    boolean any = false;
                    if (cur.reader != null) {
                        skip = drain(cur.reader, skip);
                        any = found;
                    }
                    flush();
                    if (!o.follow() || pastUntil()) return;
                    Current next = cur.rotated(log);
                    if (next != null) {
                        if (cur.reader != null) drain(cur.reader, 0); // its writer closed it before rotating
                        for (Path p : next.between) {
                            try (LogFile.Reader r = new LogFile.Reader(p, 0)) {
                                drain(r, 0);
                            } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
                                // rotated out meanwhile
                            }
                        }
                        cur.close();
                        cur = next;
                        continue;
                    }
                    if (!any) {
                        if (gone) return;
                        // after the exit, the writers may still be on their last records: one more look
                        if (!running.getAsBoolean()) gone = true;
                        Interruptible.sleep(gone ? GRACE_MS : 100);
                    }
                }
            } finally {
                cur.close();
            }
        }

        /** Emits the reader's records up to its end; {@code skip} bytes of the first are left out; {@link #found}: any. */
        private int drain(LogFile.Reader r, int skip) throws IOException {
            LogFile.Record rec;
            found = false;
            while ((rec = r.next()) != null) {
                emit(rec, skip);
                skip = 0;
                found = true;
            }
            return skip;
        }

        /** {record offset, bytes to skip in it, lines found (at most {@code lines})} of the last lines of one file. */
        private static long[] tailOf(Path file, int lines) throws IOException {
            try (LogFile.Reader r = new LogFile.Reader(file, 0)) {
                return tailStart(r, lines);
            } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
                return new long[]{LogFile.HEADER.length, 0, 0};
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

        /** Where the last {@code lines} lines start: {record offset, bytes to skip in it, lines found up to {@code lines}}. */
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
            if (lines == 0) return new long[]{r.position(), 0, 0};
            if (count < lines) return new long[]{LogFile.HEADER.length, 0, count};
            long[] from = ring[count % ring.length];
            return new long[]{from[0], from[1], lines};
        }
    }

    /**
     * The file being followed: its reader and identity, taken so that the two agree (the identity read before
     * and after the open is the same), or none while the path is missing in a rotation.
     */
    private static final class Current implements java.io.Closeable {
        final LogFile.Reader reader;
        final Object key;
        /** Set on the successor: files rotated out between this one and it, oldest first. */
        List<Path> between = List.of();

        private Current(LogFile.Reader reader, Object key) {
            this.reader = reader;
            this.key = key;
        }

        static Current open(Path log, long at) throws IOException {
            for (int i = 0; i < 10; i++) {
                Object before = LogFile.fileKey(log);
                if (before == null) return new Current(null, null);
                LogFile.Reader r;
                try {
                    r = new LogFile.Reader(log, at);
                } catch (java.io.FileNotFoundException e) {
                    continue;
                }
                if (before.equals(LogFile.fileKey(log))) return new Current(r, before);
                r.close();
            }
            return new Current(null, null);
        }

        /** The log's next file when another is now at its path (null: not rotated, or the new one not there yet). */
        Current rotated(Path log) throws IOException {
            Object now = LogFile.fileKey(log);
            if (now == null || now.equals(key)) return null;
            List<Path> between = new ArrayList<>();
            if (key != null) {
                // this file is LOG.k now (hard links; else moved, the same inode): LOG.k-1 ... LOG.1 came after it
                for (int k = 1; k < LogConfig.MAX_FILES; k++) {
                    Object kk = LogFile.fileKey(LogFile.rotated(log, k));
                    if (kk == null) break;
                    if (kk.equals(key)) break;
                    between.add(0, LogFile.rotated(log, k));
                }
            }
            Current next = open(log, 0);
            if (next.reader == null) return null;
            next.between = between;
            return next;
        }

        @Override
        public void close() throws IOException {
            if (reader != null) reader.close();
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
