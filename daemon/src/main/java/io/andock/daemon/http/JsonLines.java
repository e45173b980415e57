package io.andock.daemon.http;

import io.andock.json.Json;
import io.andock.transfer.TransferListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Docker's JSON message stream (pull, push, load, import): one object per line, flushed as produced. The reply
 * is started lazily, at the first message, so an error known before any progress can still be a plain HTTP
 * error; after that, errors go in-band ({@code errorDetail} and {@code error}).
 */
public final class JsonLines implements TransferListener {
    private final Exchange exchange;
    private Exchange.ResponseStream out;

    public JsonLines(Exchange exchange) {
        this.exchange = exchange;
    }

    public synchronized boolean started() {
        return out != null;
    }

    public synchronized void send(Map<String, Object> msg) {
        try {
            if (out == null) out = exchange.stream("application/json");
            out.write((Json.write(msg) + "\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("client went away", e);
        }
    }

    public void status(String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", text);
        send(m);
    }

    public void stream(String text) {
        send(Map.of("stream", text));
    }

    @Override
    public void status(String id, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("progressDetail", Map.of());
        m.put("id", id);
        send(m);
    }

    @Override
    public void progress(String id, String action, long current, long total) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", action);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("current", current);
        if (total > 0) d.put("total", total);
        m.put("progressDetail", d);
        m.put("progress", bar(current, total));
        m.put("id", id);
        send(m);
    }

    @Override
    public void message(String text) {
        status(text);
    }

    /** Ends the stream; a failure after the first message goes in-band, before it the caller replies with a status. */
    public synchronized void finish(Throwable failure) {
        if (failure != null && out == null) {
            if (failure instanceof RuntimeException r) throw r;
            throw new RuntimeException(failure);
        }
        if (failure != null) {
            String msg = Errors.message(failure);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("errorDetail", Map.of("message", msg));
            m.put("error", msg);
            try {
                send(m);
            } catch (UncheckedIOException ignored) {
                // the client is gone
            }
        }
        out.close();
    }

    /**
     * Ends the stream with {@code failure} in-band even when nothing was sent yet: a 200 and one error message,
     * what dockerd answers for every failed {@code load} (clients read the error from the stream, not the status).
     */
    public synchronized void failInBand(Throwable failure) {
        if (out == null) {
            try {
                out = exchange.stream("application/json");
            } catch (IOException e) {
                return; // the client is gone
            }
        }
        finish(failure);
    }

    /** The legacy text bar: {@code [=====>      ]  1.2MB/3.4MB}. */
    static String bar(long current, long total) {
        if (total <= 0) return "   " + size(current);
        int width = 50;
        int done = (int) Math.min(width, current * width / total);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < width; i++) b.append(i < done ? '=' : i == done ? '>' : ' ');
        return b.append("] ").append(String.format("%8s/%s", size(current), size(total))).toString();
    }

    static String size(long n) {
        if (n < 1000) return n + "B";
        String[] u = {"kB", "MB", "GB", "TB"};
        double v = n;
        int i = -1;
        while (v >= 1000 && i < u.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(java.util.Locale.ROOT, "%.3g%s", v, u[i]);
    }
}
