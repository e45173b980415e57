package io.andock.cli;

import io.andock.engine.Engine;

import java.io.PrintWriter;

/** What a command works with: its output streams and the engine. */
record Cli(PrintWriter out, PrintWriter err, Engine engine) {

    /** True when stdout is a terminal (progress bars, tables sized to it). */
    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }
}
