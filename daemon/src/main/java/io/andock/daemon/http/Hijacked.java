package io.andock.daemon.http;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A taken-over connection: {@link #input()} is the client's stdin (EOF at its half-close), {@link #output()} the
 * raw output pipe. {@link #close()} ends it: flushes, then closes the socket (or ends the 200 body).
 */
public interface Hijacked extends AutoCloseable {
    /** The client's bytes; null when the client cannot send any (a non-upgraded 200 stream). */
    InputStream input();

    OutputStream output();

    @Override
    void close();

    static Hijacked overResponse(Exchange.ResponseStream s) {
        return new Hijacked() {
            @Override
            public InputStream input() {
                return null;
            }

            @Override
            public OutputStream output() {
                return s;
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }
}
