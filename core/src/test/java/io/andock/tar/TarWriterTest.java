package io.andock.tar;

import io.andock.AndockException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one tar writer: layers (any header) and archives as docker save writes them (root owned, mtime 0). */
@Tag("unit")
class TarWriterTest {

    @Test
    void archiveEntries_areRootOwnedWithMtimeZero_andReadBack() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        w.directory("blobs/");
        w.file("blobs/sha256/" + "a".repeat(64), "{}".getBytes(StandardCharsets.UTF_8));
        String longName = "d/".repeat(60) + "file";
        w.file(longName, 5, new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
        w.finish();
        assertThat(out.size() % 512).isZero();

        TarReader r = new TarReader(new ByteArrayInputStream(out.toByteArray()));
        TarEntry dir = r.next();
        assertThat(dir.name()).isEqualTo("blobs");
        assertThat(dir.type()).isEqualTo(TarEntry.Type.DIRECTORY);
        assertThat(dir.mode()).isEqualTo(0755);
        TarEntry blob = r.next();
        assertThat(blob.mode()).isEqualTo(0644);
        assertThat(blob.uid()).isZero();
        assertThat(blob.mtime().getEpochSecond()).isZero();
        assertThat(new String(r.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
        TarEntry longOne = r.next();
        assertThat(longOne.name()).isEqualTo(longName);
        assertThat(new String(r.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(r.next()).isNull();
    }

    @Test
    void archiveFile_shorterThanDeclared_isCorrupt() {
        TarWriter w = new TarWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> w.file("blob", 10, new ByteArrayInputStream(new byte[4])))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.CORRUPT))
                .hasMessageContaining("blob: size 10 expected, 4+ received");
    }

    @Test
    void archiveFile_longerThanDeclared_isCorrupt_evenWhenEmptyIsDeclared() {
        TarWriter w = new TarWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> w.file("blob", 3, new ByteArrayInputStream(new byte[4])))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(AndockException.Kind.CORRUPT))
                .hasMessageContaining("blob: size 3 expected, 3+ received");
        TarWriter w2 = new TarWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> w2.file("empty", 0, new ByteArrayInputStream(new byte[1])))
                .isInstanceOf(AndockException.class).hasMessageContaining("size 0 expected");
    }

    @Test
    void layerFile_thatShrank_isAnIoError() {
        TarWriter w = new TarWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> w.add(TarWriter.Header.of("f", TarWriter.Type.FILE, 0600, 1000, 1000, 8, 1), new ByteArrayInputStream(new byte[2])))
                .isInstanceOf(IOException.class).hasMessageContaining("shrank");
    }
}
