package io.andock.snapshot;

import io.andock.AndockException;
import io.andock.tar.TarEntry;
import io.andock.tar.TarReader;
import io.andock.testkit.HostileTars;
import io.andock.transfer.archive.TarIndex;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Every hostile header of {@link HostileTars} is refused, quickly, by every way the engine reads a tar. */
@Tag("unit")
class HostileTarHeaderTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    static Stream<String> variants() {
        return HostileTars.all().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void tarReader_streaming_refusesHostileHeader(String variant) {
        byte[] tar = HostileTars.all().get(variant);
        assertCorrupt(() -> readAll(new TarReader(new ByteArrayInputStream(tar))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void tarReader_knownLength_refusesHostileHeader(String variant) {
        byte[] tar = HostileTars.all().get(variant);
        assertCorrupt(() -> readAll(new TarReader(new ByteArrayInputStream(tar), tar.length)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void layerApplier_refusesHostileHeader(String variant, @TempDir Path dir) {
        byte[] tar = HostileTars.all().get(variant);
        assertCorrupt(() -> new LayerApplier(ApplyOptions.defaults().withPrivileged(false))
                .apply(new ByteArrayInputStream(tar), dir));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void tarIndex_refusesHostileHeader_namingTheArchive(String variant, @TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve(variant + ".tar"), HostileTars.all().get(variant));
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> TarIndex.open(file))
                .isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.CORRUPT))
                .hasMessageContaining(file.toString()).hasMessageContaining("tar entry"));
    }

    @Test
    void validArchive_isRead_byStreamAndIndex(@TempDir Path dir) throws IOException {
        byte[] tar = HostileTars.valid();
        TarReader r = new TarReader(new ByteArrayInputStream(tar), tar.length);
        TarEntry e = r.next();
        assertThat(e.name()).isEqualTo("hello.txt");
        assertThat(r.dataOffset()).isEqualTo(512);
        assertThat(new String(r.content().readAllBytes())).isEqualTo("hello\n");
        assertThat(r.next()).isNull();
        TarIndex index = TarIndex.open(Files.write(dir.resolve("ok.tar"), tar));
        assertThat(index.read("hello.txt", 100)).isEqualTo("hello\n".getBytes());
    }

    private interface Read {
        void run() throws IOException;
    }

    private static void readAll(TarReader r) throws IOException {
        for (TarEntry e = r.next(); e != null; e = r.next()) {
            r.content().transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static void assertCorrupt(Read read) {
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(read::run)
                .isInstanceOf(AndockException.class)
                .satisfies(e -> {
                    assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.CORRUPT);
                    assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(400);
                }));
    }
}
