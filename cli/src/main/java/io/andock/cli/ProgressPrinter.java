package io.andock.cli;

import io.andock.transfer.TransferListener;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pull and push progress as docker prints it: on a terminal one line per layer redrawn in place with a bar;
 * otherwise one line per status change of a layer, so logs stay readable; nothing in quiet mode.
 */
final class ProgressPrinter implements TransferListener {
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintWriter out;
    private final boolean terminal;
    private final boolean quiet;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;

    ProgressPrinter(PrintWriter out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    @Override
    public synchronized void status(String id, String status) {
        if (quiet) return;
        String line = id + ": " + status;
        if (line.equals(lines.put(id, line)) && !terminal) return;
        if (terminal) redraw(true);
        else out.println(line);
    }

    @Override
    public synchronized void progress(String id, String action, long current, long total) {
        if (quiet || !terminal) return;
        lines.put(id, id + ": " + action + " " + bar(current, total));
        redraw(false);
    }

    @Override
    public synchronized void message(String text) {
        if (quiet) return;
        if (terminal) redraw(true);
        out.println(text);
        out.flush();
        if (terminal) {
            // Lines above a message are final: later layers start a new block below it.
            lines.clear();
            drawn = 0;
        }
    }

    private void redraw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        StringBuilder b = new StringBuilder();
        if (drawn > 0) b.append("\033[").append(drawn).append('A');
        for (String line : lines.values()) b.append("\r\033[2K").append(line).append('\n');
        drawn = lines.size();
        out.print(b);
        out.flush();
    }

    static String bar(long current, long total) {
        if (total <= 0) return Units.humanSize(current);
        int width = 50;
        int filled = (int) Math.min(width, current * width / total);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < width; i++) b.append(i < filled ? '=' : i == filled ? '>' : ' ');
        return b.append("]  ").append(Units.humanSize(current)).append('/').append(Units.humanSize(total)).toString();
    }
}
