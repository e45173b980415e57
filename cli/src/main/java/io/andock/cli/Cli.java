package io.andock.cli;

import io.andock.AndockException;
import io.andock.engine.Engine;
import io.andock.image.Platform;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;

/** What a command works with: its output streams, the engine, and the global {@code --driver} choice (or null). */
record Cli(PrintWriter out, PrintWriter err, Engine engine, String driver) {

    /** True when stdout is a terminal (progress bars, tables sized to it). */
    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    /**
     * Makes sure {@code image} is in the store before a container is made from it, pulling it as {@code docker run}
     * does: "Unable to find image … locally", then the pull's progress, on stderr.
     */
    void ensureImage(String image, String platform) {
        Platform p = platform == null ? null : Platform.parse(platform);
        if (engine.images().has(image, p)) return;
        err.println("Unable to find image '" + io.andock.image.Reference.parse(image).familiar() + "' locally");
        err.flush();
        engine.images().pull(image, p, new ProgressPrinter(err, false, false));
    }

    /** Runs {@code action} on each container named, printing the name on success as docker does; 1 if any failed. */
    int forEach(List<String> names, Consumer<String> action) {
        int status = 0;
        for (String name : names) {
            try {
                action.accept(name);
                out.println(name);
            } catch (AndockException e) {
                err.println("Error: " + ErrorLine.of(e.getMessage()));
                status = 1;
            }
            out.flush();
        }
        return status;
    }
}
