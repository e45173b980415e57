package io.andock.daemon.wire;

import io.andock.AndockException;
import io.andock.json.JsonObject;
import io.andock.container.ContainerSpec;
import io.andock.container.PortBinding;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code POST /containers/create} bodies as the docker CLI, docker-java and Testcontainers send them, and hostile ones. */
@Tag("unit")
class ContainerCreateBodyTest {

    static ContainerSpec spec(String json) {
        return ContainerWire.spec(JsonObject.parse(json.getBytes(StandardCharsets.UTF_8)), "web", null);
    }

    static void assertKind(String json, AndockException.Kind kind) {
        assertThatThrownBy(() -> spec(json)).as(json)
                .isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(kind));
    }

    @Test
    void dockerCliBody_becomesTheSpec() {
        ContainerSpec s = spec("""
                {"Hostname":"","User":"","AttachStdout":true,"Tty":false,"OpenStdin":false,"Env":["A=1"],
                 "Cmd":["echo","hi"],"Image":"busybox","WorkingDir":"/tmp","Entrypoint":null,"Labels":{"k":"v"},
                 "HostConfig":{"Binds":["/data:/data:ro"],"NetworkMode":"default","PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}],
                 "53/udp":[{"HostIp":"127.0.0.1","HostPort":"5353"}]},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},
                 "AutoRemove":true,"Init":false}}""");
        assertThat(s.image()).isEqualTo("busybox");
        assertThat(s.name()).isEqualTo("web");
        assertThat(s.cmd()).containsExactly("echo", "hi");
        assertThat(s.entrypoint()).isNull();
        assertThat(s.env()).containsExactly("A=1");
        assertThat(s.workingDir()).isEqualTo("/tmp");
        assertThat(s.labels()).containsEntry("k", "v");
        assertThat(s.autoRemove()).isTrue();
        assertThat(s.ports()).containsExactlyInAnyOrder(new PortBinding("", 8080, 80, "tcp"), new PortBinding("127.0.0.1", 5353, 53, "udp"));
        assertThat(s.mounts()).hasSize(1);
        assertThat(s.networkMode()).isNull();
    }

    @Test
    void dockerJavaBody_withExplicitNulls_isTheImagesDefaults() {
        ContainerSpec s = spec("""
                {"Image":"busybox","Cmd":null,"Entrypoint":null,"Env":null,"Labels":null,"WorkingDir":null,"User":null,
                 "HostConfig":null,"ExposedPorts":null,"StopTimeout":null}""");
        assertThat(s.cmd()).isNull();
        assertThat(s.entrypoint()).isNull();
        assertThat(s.env()).isEmpty();
        assertThat(s.ports()).isEmpty();
        assertThat(s.stopTimeout()).isNull();
    }

    @Test
    void testcontainersEmptyCmd_meansTheImages_andEmptyEntrypointStringResetsIt() {
        assertThat(spec("{\"Image\":\"bb\",\"Cmd\":[]}").cmd()).isNull();
        assertThat(spec("{\"Image\":\"bb\",\"Entrypoint\":[\"\"]}").entrypoint()).isEmpty();
        assertThat(spec("{\"Image\":\"bb\",\"Cmd\":\"echo hi\"}").cmd()).containsExactly("/bin/sh", "-c", "echo hi");
    }

    @Test
    void portBindings_emptyListOrHostPortRange() {
        ContainerSpec s = spec("{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"80\":[],\"81/tcp\":[{\"HostPort\":\"9000-9010\"}]}}}");
        assertThat(s.ports()).containsExactlyInAnyOrder(new PortBinding("", 0, 80, "tcp"), new PortBinding("", 9000, 81, "tcp"));
    }

    @Test
    void tty_isRememberedInALabel_cpuQuotaBecomesNanoCpus_seccompUnconfined() {
        ContainerSpec s = spec("{\"Image\":\"bb\",\"Tty\":true,\"HostConfig\":{\"CpuQuota\":50000,\"CpuPeriod\":100000,"
                + "\"Memory\":5.24288e+08,\"SecurityOpt\":[\"seccomp:unconfined\"]}}");
        assertThat(s.labels()).containsEntry(ContainerWire.TTY_LABEL, "true");
        assertThat(s.resources().nanoCpus()).isEqualTo(500_000_000L);
        assertThat(s.resources().memoryBytes()).isEqualTo(524_288_000L);
        assertThat(s.security().seccomp()).isFalse();
    }

    @Test
    void networkMode_hostNoneKnownUserNetwork_orNotFound() {
        assertThat(spec("{\"Image\":\"bb\",\"HostConfig\":{\"NetworkMode\":\"host\"}}").networkMode()).isEqualTo("host");
        assertThat(spec("{\"Image\":\"bb\",\"HostConfig\":{\"NetworkMode\":\"none\"}}").networkMode()).isEqualTo("none");
        assertThat(spec("{\"Image\":\"bb\",\"HostConfig\":{\"NetworkMode\":\"bridge\"}}").networkMode()).isNull();
        assertThat(ContainerWire.spec(JsonObject.parse("{\"Image\":\"bb\",\"HostConfig\":{\"NetworkMode\":\"mynet\"}}"
                .getBytes(StandardCharsets.UTF_8)), null, null, "mynet"::equals).networkMode()).isEqualTo("mynet"); // its own bridge
        assertKind("{\"Image\":\"bb\",\"HostConfig\":{\"NetworkMode\":\"mynet\"}}", AndockException.Kind.NOT_FOUND);
        assertKind("{\"Image\":\"bb\",\"HostConfig\":{\"NetworkMode\":\"container:abc\"}}", AndockException.Kind.NOT_FOUND);
    }

    @Test
    void restartPolicy_onFailureWithRetries() {
        var rp = spec("{\"Image\":\"bb\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}}}").restartPolicy();
        assertThat(rp.name()).isEqualTo("on-failure");
        assertThat(rp.maxRetries()).isEqualTo(3);
    }

    /** Each is the client's mistake: a 400 with one line, never a spec that fails later or wraps a number. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"Image\":\"\"}",
            "{\"Image\":5}",
            "{\"Image\":\"bb\",\"Env\":\"A=1\"}",
            "{\"Image\":\"bb\",\"Env\":[1]}",
            "{\"Image\":\"bb\",\"HostConfig\":[]}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\"}]}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"abc/tcp\":[]}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"0/tcp\":[]}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"-1/tcp\":[]}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"65536/tcp\":[]}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"80/sctpx\":[]}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"70000\"}]}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"-5\"}]}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"x\"}]}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"1.2.3.4;reboot\",\"HostPort\":\"80\"}]}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":-1}}}",
            "{\"Image\":\"bb\",\"HostConfig\":{\"Memory\":1.5}}",
            "{\"Image\":\"bb\",\"StopTimeout\":1e30}",
    })
    void malformedBody_isInvalidArgument(String json) {
        assertKind(json, AndockException.Kind.INVALID_ARGUMENT);
    }
}
