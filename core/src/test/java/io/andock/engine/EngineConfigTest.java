package io.andock.engine;

import io.andock.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EngineConfigTest {
    @Test
    void roots_followEnvTermuxAndXdg() {
        assertThat(EngineConfig.defaultRoot(Map.of("ANDOCK_ROOT", "/r"))).isEqualTo(Path.of("/r"));
        Map<String, String> termux = Map.of("PREFIX", "/data/data/com.termux/files/usr");
        assertThat(EngineConfig.defaultRoot(termux)).isEqualTo(Path.of("/data/data/com.termux/files/usr/var/lib/andock"));
        assertThat(EngineConfig.defaultConfigDir(termux)).isEqualTo(Path.of("/data/data/com.termux/files/usr/etc/andock"));
        assertThat(EngineConfig.defaultRoot(Map.of("XDG_DATA_HOME", "/x"))).isEqualTo(Path.of("/x/andock"));
        assertThat(EngineConfig.defaultConfigDir(Map.of("XDG_CONFIG_HOME", "/c"))).isEqualTo(Path.of("/c/andock"));
        assertThat(EngineConfig.defaultRoot(Map.of("PREFIX", "/usr"))).isEqualTo(
                Path.of(System.getProperty("user.home"), ".local/share/andock"));
    }

    @Test
    void configJson_setsRegistryOptionsAndLimits() {
        JsonObject o = JsonObject.of(Map.of("insecure-registries", List.of("10.0.0.2:5000"),
                "registry-mirrors", List.of("https://mirror.example"), "max-concurrent-downloads", 5L,
                "max-layer-bytes", 1000L));
        EngineConfig c = EngineConfig.fromJson(Path.of("/r"), Path.of("/c"), o);
        assertThat(c.registry().isInsecure("10.0.0.2:5000")).isTrue();
        assertThat(c.registry().mirrors().get("docker.io")).containsExactly("https://mirror.example");
        assertThat(c.registry().maxConcurrentDownloads()).isEqualTo(5);
        assertThat(c.maxLayerBytes()).isEqualTo(1000);
        assertThat(c.contentDir()).isEqualTo(Path.of("/r/content"));
        assertThat(c.registry().readTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    }

    @Test
    void configJson_readTimeoutSeconds_setAndBounded() {
        EngineConfig c = EngineConfig.fromJson(Path.of("/r"), Path.of("/c"),
                JsonObject.of(Map.of("read-timeout-seconds", 5L)));
        assertThat(c.registry().readTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        for (long bad : new long[] {0, -1, Long.MAX_VALUE, 3601}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineConfig.fromJson(Path.of("/r"), Path.of("/c"),
                            JsonObject.of(Map.of("read-timeout-seconds", bad))))
                    .hasMessageContaining("read-timeout-seconds must be between 1 and 3600");
        }
    }
}
