package io.andock.container;

import io.andock.os.Signals;
import io.andock.AndockException;
import io.andock.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecParsingTest {

    @Test
    void portBinding_parsesDockerForms() {
        assertThat(PortBinding.parse("8080:80")).isEqualTo(new PortBinding("", 8080, 80, "tcp"));
        assertThat(PortBinding.parse("127.0.0.1:53:53/udp")).isEqualTo(new PortBinding("127.0.0.1", 53, 53, "udp"));
        assertThat(PortBinding.parse("80")).isEqualTo(new PortBinding("", 0, 80, "tcp"));
        assertThat(PortBinding.parse("[::1]:8080:80").hostIp()).isEqualTo("::1");
        assertThat(PortBinding.parse("8080:80").display()).isEqualTo("0.0.0.0:8080->80/tcp");
    }

    @Test
    void portBinding_rejectsInvalidSpecsWithDockersMessages() {
        assertThatThrownBy(() -> PortBinding.parse("abc:80")).hasMessage("invalid hostPort: abc");
        assertThatThrownBy(() -> PortBinding.parse("80:abc")).hasMessage("invalid containerPort: abc");
        assertThatThrownBy(() -> PortBinding.parse("80:70000")).hasMessage("invalid containerPort: 70000");
        assertThatThrownBy(() -> PortBinding.parse("80:80/sctpx")).hasMessage("invalid proto: sctpx");
        assertThatThrownBy(() -> PortBinding.parse("1:2:3:4")).hasMessageContaining("invalid publish spec");
    }

    @Test
    void mountSpec_bindNamedAnonymousAndOptions() {
        assertThat(MountSpec.parseVolume("/host/dir:/data:ro")).isEqualTo(new MountSpec("bind", "/host/dir", "/data", true, ""));
        assertThat(MountSpec.parseVolume("myvol:/var/lib")).isEqualTo(new MountSpec("volume", "myvol", "/var/lib", false, ""));
        assertThat(MountSpec.parseVolume("/anon").source()).isNull();
        assertThatThrownBy(() -> MountSpec.parseVolume("a:b")).hasMessageContaining("mount path must be absolute");
        assertThatThrownBy(() -> MountSpec.parseVolume("/a:/b:xx")).hasMessage("invalid mode: xx");
        assertThat(MountSpec.parseTmpfs("/run:size=64m")).isEqualTo(new MountSpec("tmpfs", null, "/run", false, "size=64m"));
    }

    @Test
    void restartPolicy_andSignals() {
        assertThat(RestartPolicy.parse("on-failure:3")).isEqualTo(new RestartPolicy("on-failure", 3));
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes")).hasMessageContaining("unknown policy");
        assertThat(Signals.parse("SIGINT")).isEqualTo(2);
        assertThat(Signals.parse("hup")).isEqualTo(1);
        assertThat(Signals.parse("9")).isEqualTo(9);
        assertThatThrownBy(() -> Signals.parse("FOO")).hasMessage("invalid signal: FOO");
    }

    @Test
    void containerSpec_roundTripsThroughJson() {
        ContainerSpec s = ContainerSpec.builder("busybox").name("web").cmd("echo", "hi").entrypoint(List.of())
                .env("A=B").publish("8080:8080").volume("vol:/data").label("k", "v").restartPolicy(RestartPolicy.parse("always"))
                .stopTimeout(3).init(true).build();
        ContainerSpec back = ContainerSpec.fromJson(JsonObject.parse(io.andock.json.Json.writeBytes(s)));
        assertThat(back).isEqualTo(s);
        assertThat(back.entrypoint()).isEmpty(); // empty, not absent
        assertThat(ContainerSpec.builder("busybox").build().entrypoint()).isNull();
    }

    @Test
    void containerSpec_rejectsBadNamesAndRmWithRestart() {
        assertThatThrownBy(() -> ContainerSpec.builder("busybox").name("a b").build())
                .isInstanceOf(AndockException.class).hasMessageContaining("Invalid container name (a b)");
        assertThatThrownBy(() -> ContainerSpec.builder("busybox").autoRemove(true).restartPolicy(RestartPolicy.parse("always")).build())
                .hasMessageContaining("--restart and --rm");
    }

    @Test
    void humanDurations_areDockers() {
        assertThat(ContainerView.human(java.time.Duration.ofSeconds(3))).isEqualTo("3 seconds");
        assertThat(ContainerView.human(java.time.Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(ContainerView.human(java.time.Duration.ofMinutes(2))).isEqualTo("2 minutes");
        assertThat(ContainerView.human(java.time.Duration.ofHours(5))).isEqualTo("5 hours");
    }
}
