package io.andock.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Resources}: the copy beside the class-data archive first, the class's jar (or directory) otherwise. */
class ResourcesTest {
    @Test
    void readsTheCopy_elseTheClassPath(@TempDir Path copy) throws Exception {
        byte[] real;
        try (var in = ShellScript.class.getResourceAsStream("kill-quietly.sh")) {
            real = in.readAllBytes();
        }
        assertThat(Resources.read(ShellScript.class, "kill-quietly.sh", null)).isEqualTo(real);
        // not in the copy: from the class path
        assertThat(Resources.read(ShellScript.class, "kill-quietly.sh", copy.toString())).isEqualTo(real);
        Path copied = Files.createDirectories(copy.resolve("io/andock/os")).resolve("kill-quietly.sh");
        Files.writeString(copied, "from the copy");
        assertThat(new String(Resources.read(ShellScript.class, "kill-quietly.sh", copy.toString()))).isEqualTo("from the copy");
        assertThat(Resources.read(ShellScript.class, "no-such.sh", copy.toString())).isNull();
    }

    @Test
    void copiesOnlyAndocksOwnResources() {
        assertThat(Resources.copied("io/andock/task/andock-monitor.sh")).isTrue();
        assertThat(Resources.copied("io/andock/task/Monitor.class")).isFalse();
        assertThat(Resources.copied("io/andock/task/")).isFalse();
        assertThat(Resources.copied("META-INF/MANIFEST.MF")).isFalse();
        assertThat(Resources.copied("org/eclipse/jetty/x.properties")).isFalse();
    }
}
