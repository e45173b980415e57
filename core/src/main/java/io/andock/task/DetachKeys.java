package io.andock.task;

import io.andock.AndockException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Docker's detach keys: a sequence typed into an attached container's (or exec's) stdin that ends the attachment and
 * leaves the process running ({@code ctrl-p,ctrl-q} unless the client names others). The format is Docker's: keys
 * separated by commas, each a single character or {@code ctrl-X} with X one of {@code a-z @ [ \ ] ^ _}.
 */
public final class DetachKeys {
    /** Docker's default, {@code ctrl-p,ctrl-q}. */
    public static final DetachKeys DEFAULT = new DetachKeys(new byte[]{16, 17}, "ctrl-p,ctrl-q");

    private final byte[] keys;
    private final String spec;

    private DetachKeys(byte[] keys, String spec) {
        this.keys = keys;
        this.spec = spec;
    }

    /** {@code spec} as Docker reads it; null or empty: {@link #DEFAULT}. INVALID_ARGUMENT for anything else. */
    public static DetachKeys parse(String spec) {
        if (spec == null || spec.isEmpty()) return DEFAULT;
        if (spec.length() > 256) throw invalid(spec.substring(0, 32) + "…");
        String[] parts = spec.split(",", -1);
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String k = parts[i];
            if (k.length() == 1 && k.charAt(0) < 128) {
                out[i] = (byte) k.charAt(0);
            } else if (k.length() == 6 && k.startsWith("ctrl-")) {
                char c = k.charAt(5);
                if (c >= 'a' && c <= 'z') out[i] = (byte) (c - 'a' + 1);
                else if (c == '@' || c >= '[' && c <= '_') out[i] = (byte) (c - '@');
                else throw invalid(spec);
            } else {
                throw invalid(spec);
            }
        }
        return new DetachKeys(out, spec);
    }

    private static AndockException invalid(String spec) {
        return AndockException.invalid("Invalid detach keys (" + spec + ") provided");
    }

    /** The bytes of the sequence. */
    public byte[] bytes() {
        return keys.clone();
    }

    @Override
    public String toString() {
        return spec;
    }

    /**
     * {@code in} with the sequence taken out: bytes that start the sequence are held back until it is complete (then
     * {@code onDetach} runs and every read throws {@link Detached}) or broken (then they pass through, in order).
     */
    public InputStream watch(InputStream in, Runnable onDetach) {
        return new Watching(in, onDetach);
    }

    /** What a read throws once the detach keys were typed: the copier stops, without closing the process's stdin. */
    public static final class Detached extends IOException {
        public Detached() {
            super("detached");
        }
    }

    private final class Watching extends FilterInputStream {
        private final Runnable onDetach;
        private int matched;
        /** Held-back bytes of a broken partial match, still to be returned. */
        private byte[] pending = new byte[0];
        private int pendingAt;
        private boolean detached;

        Watching(InputStream in, Runnable onDetach) {
            super(in);
            this.onDetach = onDetach;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (detached) throw new Detached();
            if (len == 0) return 0;
            while (true) {
                if (pendingAt < pending.length) {
                    int n = Math.min(len, pending.length - pendingAt);
                    System.arraycopy(pending, pendingAt, b, off, n);
                    pendingAt += n;
                    return n;
                }
                byte[] buf = new byte[len];
                int n = in.read(buf, 0, len);
                if (n < 0) {
                    if (matched > 0) { // EOF inside a partial sequence: what was held back is input after all
                        hold(Arrays.copyOf(keys, matched));
                        matched = 0;
                        continue;
                    }
                    return -1;
                }
                int w = 0;
                byte[] out = new byte[n + keys.length];
                for (int i = 0; i < n; i++) {
                    byte c = buf[i];
                    if (c == keys[matched]) {
                        if (++matched == keys.length) {
                            detached = true;
                            onDetach.run();
                            // what came before the keys in this read still goes to the process
                            if (w > 0) {
                                System.arraycopy(out, 0, b, off, w);
                                return w;
                            }
                            throw new Detached();
                        }
                        continue;
                    }
                    if (matched > 0) { // broken: the held-back keys were input
                        System.arraycopy(keys, 0, out, w, matched);
                        w += matched;
                        matched = 0;
                        if (c == keys[0]) {
                            matched = 1;
                            continue;
                        }
                    }
                    out[w++] = c;
                }
                if (w == 0) continue; // all of it may be the start of the sequence: read on
                if (w <= len) {
                    System.arraycopy(out, 0, b, off, w);
                    return w;
                }
                System.arraycopy(out, 0, b, off, len);
                hold(Arrays.copyOfRange(out, len, w));
                return len;
            }
        }

        private void hold(byte[] bytes) {
            pending = bytes;
            pendingAt = 0;
        }

        @Override
        public int available() throws IOException {
            return pending.length - pendingAt;
        }
    }
}
