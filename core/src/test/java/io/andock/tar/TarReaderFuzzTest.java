package io.andock.tar;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.andock.AndockException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Jazzer fuzzing of {@link TarReader}: whatever the bytes, reading ends with entries or an {@link AndockException},
 * never with another exception, a hang or an allocation beyond the metadata bound. Without {@code JAZZER_FUZZ=1} only
 * the corpus in {@code TarReaderFuzzTestInputs/<method>/} runs (valid small tars, each {@code HostileTars} header,
 * and what fuzzing found); {@code JAZZER_FUZZ=1 mvn -pl core -am test -Dtest=TarReaderFuzzTest} fuzzes.
 */
class TarReaderFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void readArchive(byte[] data) throws IOException {
        read(new TarReader(new ByteArrayInputStream(data)));
        read(new TarReader(new ByteArrayInputStream(data), data.length));
    }

    private static void read(TarReader r) throws IOException {
        try {
            for (TarEntry e = r.next(); e != null; e = r.next()) {
                if (e.size() < 0) throw new AssertionError("negative size for " + e);
                r.content().transferTo(OutputStream.nullOutputStream());
            }
        } catch (AndockException expected) {
            if (expected.getMessage().contains("\n")) throw new AssertionError("multi-line error: " + expected);
        }
    }
}
