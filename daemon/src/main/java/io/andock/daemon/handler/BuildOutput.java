package io.andock.daemon.handler;

import io.andock.builder.RunStderrSink;
import io.andock.daemon.http.JsonLines;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The builder's text output as Docker's build stream: each complete line becomes {@code {"stream":"line\n"}}
 * (RUN output included; the stdout and stderr pumps may write concurrently, so writes are serialised and a line is
 * never split). From the {@code Successfully built} line on, lines are held back so that {@link #finish} can put
 * {@code {"aux":{"ID":…}}} before them, in the order dockerd sends. RUN steps' stderr comes through
 * {@link #runStderr()}: each of its lines wrapped in the ANSI red dockerd's classic builder puts around it
 * ({@code "\u001b[91mline\n\u001b[0m"}; clients look for that shape).
 */
final class BuildOutput extends OutputStream implements RunStderrSink {
    private static final String RED = "\u001b[91m", RESET = "\u001b[0m";
    private final JsonLines out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errLine = new ByteArrayOutputStream();
    private final OutputStream stderr = new OutputStream() {
        @Override
        public void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writeStderr(b, off, len);
        }
    };
    private final List<String> held = new ArrayList<>();

    BuildOutput(JsonLines out) {
        this.out = out;
    }

    @Override
    public void write(int b) {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] != '\n') continue;
            line.write(b, start, i - start + 1);
            emit(line.toString(StandardCharsets.UTF_8));
            line.reset();
            start = i + 1;
        }
        line.write(b, start, off + len - start);
    }

    @Override
    public OutputStream runStderr() {
        return stderr;
    }

    private synchronized void writeStderr(byte[] b, int off, int len) {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] != '\n') continue;
            errLine.write(b, start, i - start + 1);
            emit(RED + errLine.toString(StandardCharsets.UTF_8) + RESET);
            errLine.reset();
            start = i + 1;
        }
        errLine.write(b, start, off + len - start);
    }

    private void emit(String text) {
        if (held.isEmpty() && !text.startsWith("Successfully built ")) {
            out.stream(text);
        } else {
            held.add(text);
        }
    }

    /** Sends what is pending: the aux message first when {@code imageId} is not null, then the held lines. */
    synchronized void finish(String imageId) {
        if (errLine.size() > 0) {
            emit(RED + errLine.toString(StandardCharsets.UTF_8) + "\n" + RESET);
            errLine.reset();
        }
        if (line.size() > 0) {
            emit(line.toString(StandardCharsets.UTF_8) + "\n");
            line.reset();
        }
        if (imageId != null) out.send(Map.of("aux", Map.of("ID", imageId)));
        for (String h : held) out.stream(h);
        held.clear();
    }
}
