package io.andock.host;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver choice kept per boot: asked once, asked again when the boot, a driver binary, PATH or --driver change. */
@Tag("unit")
class DriverChoiceCacheTest {
    @TempDir
    Path root;

    private final AtomicInteger probes = new AtomicInteger();
    private final Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin"));

    private Supplier<String> probe(String answer) {
        return () -> {
            probes.incrementAndGet();
            return answer;
        };
    }

    private HostFs host() throws IOException {
        Files.createDirectories(root.resolve("proc/sys/kernel/random"));
        Files.createDirectories(root.resolve("proc/self"));
        Files.createDirectories(root.resolve("usr/bin"));
        if (!Files.exists(root.resolve("proc/sys/kernel/random/boot_id"))) boot("11111111-aaaa");
        Files.writeString(root.resolve("proc/self/status"), "Name:\tjava\nUid:\t0\t0\t0\t0\n");
        return new HostFs(root, env);
    }

    private void boot(String id) throws IOException {
        Files.writeString(root.resolve("proc/sys/kernel/random/boot_id"), id + "\n");
    }

    private Path tool(String name, String content) throws IOException {
        Path p = root.resolve("usr/bin").resolve(name);
        Files.writeString(p, content);
        p.toFile().setExecutable(true);
        return p;
    }

    @Test
    void secondChoice_isTheKeptOne_withoutProbing() throws IOException {
        HostFs fs = host();
        tool("proot", "v1");
        Path cache = root.resolve("cache");
        assertThat(DriverChoiceCache.chosen(fs, cache, null, probe("proot"))).isEqualTo("proot");
        assertThat(DriverChoiceCache.chosen(fs, cache, null, probe("oci"))).isEqualTo("proot");
        assertThat(probes).hasValue(1);
    }

    @Test
    void aChangedDriverBinary_aNewBoot_anotherPathOrDriver_probeAgain() throws IOException {
        HostFs fs = host();
        Path proot = tool("proot", "v1");
        Path cache = root.resolve("cache");
        DriverChoiceCache.chosen(fs, cache, null, probe("proot"));

        Files.writeString(proot, "version 2, longer");   // an upgrade: another size
        assertThat(DriverChoiceCache.chosen(fs, cache, null, probe("proot"))).isEqualTo("proot");
        assertThat(probes).hasValue(2);

        Files.setLastModifiedTime(proot, FileTime.fromMillis(1_000_000));   // same size, another mtime
        DriverChoiceCache.chosen(fs, cache, null, probe("proot"));
        assertThat(probes).hasValue(3);

        tool("runc", "runc");   // a runtime installed: the automatic choice may now be oci
        assertThat(DriverChoiceCache.chosen(fs, cache, null, probe("oci"))).isEqualTo("oci");
        assertThat(probes).hasValue(4);

        boot("22222222-bbbb");
        DriverChoiceCache.chosen(fs, cache, null, probe("oci"));
        assertThat(probes).hasValue(5);

        assertThat(DriverChoiceCache.chosen(fs, cache, "proot", probe("proot"))).isEqualTo("proot");
        assertThat(probes).hasValue(6);
        assertThat(DriverChoiceCache.chosen(fs, cache, null, probe("oci"))).isEqualTo("oci");   // the forced one replaced it
        assertThat(probes).hasValue(7);

        env.put("PATH", "/usr/bin:/opt/bin");
        DriverChoiceCache.chosen(new HostFs(root, env), cache, null, probe("oci"));
        assertThat(probes).hasValue(8);
    }

    @Test
    void aFailedChoice_isNotKept() throws IOException {
        HostFs fs = host();
        Path cache = root.resolve("cache");
        assertThatThrownBy(() -> DriverChoiceCache.chosen(fs, cache, "proot", () -> {
            throw new IllegalStateException("driver proot: install proot");
        })).hasMessageContaining("install proot");
        assertThat(cache.resolve("driver-choice")).doesNotExist();
    }

    @Test
    void noBootId_orNoCacheDir_probeEveryTime() throws IOException {
        HostFs fs = host();
        DriverChoiceCache.chosen(fs, null, null, probe("proot"));
        DriverChoiceCache.chosen(fs, null, null, probe("proot"));
        Files.delete(root.resolve("proc/sys/kernel/random/boot_id"));
        DriverChoiceCache.chosen(new HostFs(root, env), root.resolve("cache"), null, probe("proot"));
        DriverChoiceCache.chosen(new HostFs(root, env), root.resolve("cache"), null, probe("proot"));
        assertThat(probes).hasValue(4);
    }
}
