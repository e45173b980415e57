package io.andock.daemon.handler;

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
 * {@code {"aux":{"ID":…}}} before them, in the order dockerd sends.
 */
final class BuildOutput extends OutputStream {
    private final JsonLines out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
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

    private void emit(String text) {
        if (held.isEmpty() && !text.startsWith("Successfully built ")) {
            out.stream(text);
        } else {
            held.add(text);
        }
    }

    /** Sends what is pending: the aux message first when {@code imageId} is not null, then the held lines. */
    synchronized void finish(String imageId) {
        if (line.size() > 0) {
            emit(line.toString(StandardCharsets.UTF_8) + "\n");
            line.reset();
        }
        if (imageId != null) out.send(Map.of("aux", Map.of("ID", imageId)));
        for (String h : held) out.stream(h);
        held.clear();
    }
}
