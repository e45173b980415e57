package io.andock.builder;

import java.io.OutputStream;

/**
 * A build output that keeps RUN steps' stderr apart from their stdout and the progress lines. The Engine API's build
 * stream is one: dockerd's classic builder marks stderr there (red, in the client's terminal). A plain output gets
 * both streams mixed, as a terminal would.
 */
public interface RunStderrSink {
    /** Where RUN steps' stderr goes; writes from the stdout and stderr pumps may interleave, line by line. */
    OutputStream runStderr();
}
