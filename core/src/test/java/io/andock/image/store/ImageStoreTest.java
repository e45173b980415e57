package io.andock.image.store;

import io.andock.image.Descriptor;
import io.andock.image.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ImageStoreTest {
    @TempDir
    Path root;

    static ImageRecord record(String name, int i) {
        Descriptor d = new Descriptor("application/vnd.oci.image.manifest.v1+json", Digest.sha256(("m" + i).getBytes()), 100 + i);
        return new ImageRecord(name, d, d, Instant.now(), Instant.now(), Map.of(ImageRecord.SOURCE, "test"));
    }

    @Test
    void putGetRemove_roundTripsThroughTheFile() {
        ImageStore s = new ImageStore(root.resolve("images.json"));
        ImageRecord r = record("docker.io/library/busybox:latest", 1);
        s.put(r);
        ImageRecord back = new ImageStore(root.resolve("images.json")).get(r.name()).orElseThrow();
        assertThat(back.target()).isEqualTo(r.target());
        assertThat(back.created()).isEqualTo(r.created());
        assertThat(back.labels()).containsEntry(ImageRecord.SOURCE, "test");
        assertThat(s.remove(r.name())).isTrue();
        assertThat(s.list()).isEmpty();
    }

    @Test
    void concurrentUpdates_fromManyThreadsAndTwoStores_loseNothing() {
        ImageStore a = new ImageStore(root.resolve("images.json"));
        ImageStore b = new ImageStore(root.resolve("images.json"));
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            ImageStore s = i % 2 == 0 ? a : b;
            fs.add(CompletableFuture.runAsync(() -> s.put(record("docker.io/library/img" + n + ":latest", n))));
        }
        fs.forEach(CompletableFuture::join);
        assertThat(a.list()).hasSize(40);
    }

    @Test
    void concurrentUpdates_fromTwoProcesses_loseNothing() throws Exception {
        List<Process> ps = new ArrayList<>();
        for (String prefix : List.of("p", "q")) {
            ps.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), ImageStoreChild.class.getName(), root.resolve("images.json").toString(), prefix)
                    .inheritIO().start());
        }
        for (Process p : ps) assertThat(p.waitFor()).isZero();
        assertThat(new ImageStore(root.resolve("images.json")).list()).hasSize(60);
    }
}
