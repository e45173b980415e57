package io.andock.engine;

import io.andock.AndockException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** commit --change: configuration instructions applied like a build's, anything else refused. */
@Tag("unit")
class ConfigChangesTest {
    @Test
    @SuppressWarnings("unchecked")
    void apply_setsCmdEnvLabelExposeWorkdirUser() {
        Map<String, Object> image = new LinkedHashMap<>();
        ConfigChanges.apply(image, List.of("CMD [\"cat\", \"/x\"]", "ENTRYPOINT echo hi", "ENV A=1 B=2", "LABEL k=v",
                "EXPOSE 80 53/udp", "WORKDIR /srv", "USER nobody", "STOPSIGNAL SIGINT", "VOLUME /data"));
        Map<String, Object> c = (Map<String, Object>) image.get("config");
        assertThat(c.get("Cmd")).isEqualTo(List.of("cat", "/x"));
        assertThat(c.get("Entrypoint")).isEqualTo(List.of("/bin/sh", "-c", "echo hi"));
        assertThat((List<String>) c.get("Env")).contains("A=1", "B=2");
        assertThat((Map<String, Object>) c.get("Labels")).containsEntry("k", "v");
        assertThat(((Map<String, Object>) c.get("ExposedPorts")).keySet()).containsExactlyInAnyOrder("80/tcp", "53/udp");
        assertThat(c).containsEntry("WorkingDir", "/srv").containsEntry("User", "nobody").containsEntry("StopSignal", "SIGINT");
        assertThat(((Map<String, Object>) c.get("Volumes")).keySet()).containsExactly("/data");
    }

    @Test
    void apply_refusesABuildStep() {
        assertThatThrownBy(() -> ConfigChanges.apply(new LinkedHashMap<>(), List.of("RUN rm -rf /")))
                .isInstanceOf(AndockException.class).hasMessageContaining("run is not a valid change command");
    }
}
