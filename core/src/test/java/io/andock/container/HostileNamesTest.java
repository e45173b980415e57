package io.andock.container;

import io.andock.AndockException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Names and ids from users never become paths outside the store: every hostile variant is "no such" or "invalid",
 * and a sentinel next to the store (where {@code ../../x} points from {@code containers/} and {@code volumes/})
 * survives with a planted record in it.
 */
@Tag("unit")
class HostileNamesTest {
    @TempDir
    Path tmp;
    Path root, sentinel;

    static List<String> hostile() {
        return List.of("../x", "../../x", "..", ".", "a/b", "/abs", "/../../x", "x\0y", "a\nb", "-rf", "_x", "a".repeat(256),
                "../../x/" + "a".repeat(56), "%2e%2e", " ", "x y");
    }

    @BeforeEach
    void plant() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        sentinel = Files.createDirectories(tmp.resolve("x"));
        // a record an attacker planted outside, where a 64-char "id" with ../ would lead
        Path fake = Files.createDirectories(sentinel.resolve("a".repeat(56)));
        Files.writeString(fake.resolve("config.json"), "{}");
        Files.createDirectories(sentinel.resolve("_data"));
    }

    private void assertSentinelIntact() {
        assertThat(sentinel.resolve("_data")).isDirectory();
        assertThat(sentinel.resolve("a".repeat(56)).resolve("config.json")).isRegularFile();
        assertThat(root.resolve("containers/.locks")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(Files.list(p).toList()).allMatch(f -> StoreNames.isId(f.getFileName().toString())));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void containerStore_hostileRefs_areNoSuchContainer(String ref) {
        ContainerStore store = new ContainerStore(root);
        assertThatThrownBy(() -> store.resolve(ref)).isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.NOT_FOUND))
                .hasMessageStartingWith("No such container: ").hasMessageNotContaining("\n").hasMessageNotContaining("\0");
        assertThatThrownBy(() -> store.dir(ref)).isInstanceOf(AndockException.class);
        assertThatThrownBy(() -> store.lock(ref)).isInstanceOf(AndockException.class);
        assertThatThrownBy(() -> store.record(ref)).isInstanceOf(AndockException.class);
        assertThatThrownBy(() -> store.state(ref)).isInstanceOf(AndockException.class);
        assertThatThrownBy(() -> store.delete(ref)).isInstanceOf(AndockException.class);
        assertThat(store.tombstone(ref)).isNull();
        assertSentinelIntact();
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void volumeStore_hostileNames_areNoSuchVolume_orInvalid(String name) {
        VolumeStore volumes = new VolumeStore(root.resolve("volumes"), n -> List.of());
        assertThat(volumes.exists(name)).isFalse();
        assertThatThrownBy(() -> volumes.remove(name, true)).isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.NOT_FOUND))
                .hasMessageEndingWith(": no such volume").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> volumes.get(name)).hasMessageEndingWith(": no such volume");
        assertThatThrownBy(() -> volumes.create(name)).isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> volumes.dataDir(name)).isInstanceOf(AndockException.class);
        assertThat(root.resolve("volumes")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
        assertSentinelIntact();
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void containerNames_hostile_areInvalid(String name) {
        if (name.equals("/abs")) return; // Docker's "/name" form of a valid name
        assertThatThrownBy(() -> ContainerSpec.builder("busybox").name(name).build()).isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT))
                .hasMessageStartingWith("Invalid container name (").hasMessageNotContaining("\n");
        boolean hostPath = name.startsWith("/") || name.startsWith("."); // -v ../x:/data is a bind mount, as in Docker
        if (!hostPath) assertThatThrownBy(() -> MountSpec.parseVolume(name + ":/data")).isInstanceOf(AndockException.class);
    }

    @Test
    void symlinksPlantedInTheStore_areNoVolumeAndNoContainer() throws Exception {
        Path volumes = Files.createDirectories(root.resolve("volumes"));
        Files.createSymbolicLink(volumes.resolve("evil"), sentinel);
        Files.createDirectories(volumes.resolve("half"));
        Files.createSymbolicLink(volumes.resolve("half/_data"), sentinel.resolve("_data"));
        VolumeStore store = new VolumeStore(volumes, n -> List.of());
        for (String n : List.of("evil", "half")) {
            assertThat(store.exists(n)).isFalse();
            assertThatThrownBy(() -> store.remove(n, true)).hasMessage("get " + n + ": no such volume");
            assertThatThrownBy(() -> store.create(n)).isInstanceOf(AndockException.class).hasMessageContaining("is not a volume");
        }
        assertThat(store.list()).isEmpty();

        String id = "b".repeat(64);
        Path containers = Files.createDirectories(root.resolve("containers"));
        Path outside = Files.createDirectories(tmp.resolve("outside-container"));
        Files.writeString(outside.resolve("config.json"), "{}");
        Files.writeString(outside.resolve("state.json"), "{}");
        Files.createSymbolicLink(containers.resolve(id), outside);
        ContainerStore cs = new ContainerStore(root);
        assertThat(cs.ids()).isEmpty();
        assertThatThrownBy(() -> cs.resolve(id)).hasMessage("No such container: " + id);
        assertThatThrownBy(() -> cs.record(id)).hasMessage("No such container: " + id);
        assertThatThrownBy(() -> cs.state(id)).hasMessage("No such container: " + id);
        cs.delete(id); // unlinks the link, never what it points to
        assertThat(outside.resolve("config.json")).isRegularFile();
        assertSentinelIntact();
    }

    @Test
    void validNames_stillWork() {
        VolumeStore volumes = new VolumeStore(root.resolve("volumes"), n -> List.of());
        for (String n : List.of("ab", "my-vol_1.x", "0a", "A".repeat(255))) {
            assertThat(volumes.create(n)).isTrue();
            assertThat(volumes.get(n)).isDirectory();
            volumes.remove(n, false);
        }
        assertThat(ContainerSpec.builder("busybox").name("/web.1_a-b").build().name()).isEqualTo("/web.1_a-b");
        assertThat(StoreNames.isIdPrefix("0f3")).isTrue();
        assertThat(StoreNames.isIdPrefix("0F3")).isFalse();
    }
}
