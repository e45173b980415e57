package io.andock.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Random bytes for identifiers (container ids, names) straight from the kernel's {@code /dev/urandom}, which is what
 * the JDK's default SecureRandom reads too; it also mixes in a SHA1PRNG, whose set-up (a message digest through
 * var handles) cost each {@code run} ~10 ms of start-up. Falls back to SecureRandom where the device cannot be read.
 */
public final class RandomBytes {
    private static final Path URANDOM = Path.of("/dev/urandom");

    private RandomBytes() {
    }

    /** {@code n} random bytes. */
    public static byte[] of(int n) {
        byte[] b = new byte[n];
        try (InputStream in = Files.newInputStream(URANDOM)) {
            if (in.readNBytes(b, 0, n) == n) return b;
        } catch (IOException | RuntimeException e) {
            // no readable device: the JDK's own source
        }
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** A random int in [0, bound), bound > 0, without modulo bias worth speaking of (64 random bits). */
    public static int below(int bound) {
        byte[] b = of(8);
        long v = 0;
        for (byte x : b) v = v << 8 | (x & 0xff);
        return (int) Long.remainderUnsigned(v, bound);
    }
}
