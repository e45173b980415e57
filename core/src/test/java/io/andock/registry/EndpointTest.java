package io.andock.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointTest {
    private static final RegistryOptions DEFAULTS = RegistryOptions.defaults();

    private static List<String> bases(List<Endpoint> eps) {
        return eps.stream().map(e -> e.base().toString()).toList();
    }

    @Test
    void dockerHub_mapsToRegistry1_keyedDockerIo() {
        List<Endpoint> eps = Endpoint.origin("docker.io", DEFAULTS);
        assertThat(bases(eps)).containsExactly("https://registry-1.docker.io");
        assertThat(eps.get(0).registry()).isEqualTo("docker.io");
        assertThat(eps.get(0).resolve("/v2/library/busybox/manifests/latest").toString())
                .isEqualTo("https://registry-1.docker.io/v2/library/busybox/manifests/latest");
    }

    @Test
    void loopback_isPlainHttpOnly() {
        for (String r : List.of("127.0.0.1:5000", "localhost:5000", "localhost", "127.1.2.3", "[::1]:5000")) {
            assertThat(bases(Endpoint.origin(r, DEFAULTS))).as(r).containsExactly("http://" + r);
        }
    }

    @Test
    void remote_isHttpsOnly_unlessInsecure_thenHttpsThenHttp() {
        assertThat(bases(Endpoint.origin("registry.example:5000", DEFAULTS))).containsExactly("https://registry.example:5000");
        RegistryOptions insecure = DEFAULTS.withInsecureRegistries(Set.of("registry.example:5000", "http://other.example"));
        assertThat(bases(Endpoint.origin("registry.example:5000", insecure)))
                .containsExactly("https://registry.example:5000", "http://registry.example:5000");
        assertThat(bases(Endpoint.origin("other.example:443", insecure)))
                .containsExactly("https://other.example:443", "http://other.example:443");
        assertThat(bases(Endpoint.origin("third.example", insecure))).containsExactly("https://third.example");
    }

    @Test
    void mirrors_comeFirst_forThatRegistryOnly() {
        RegistryOptions o = DEFAULTS.withMirrors(Map.of(
                "https://index.docker.io/v1/", List.of("https://mirror.example/", "10.0.0.2:5000", "localhost:5001"),
                "ghcr.io", List.of("http://hub.fleet:5000")));
        List<Endpoint> hub = Endpoint.forPull("docker.io", o);
        assertThat(bases(hub)).containsExactly("https://mirror.example", "https://10.0.0.2:5000", "http://localhost:5001",
                "https://registry-1.docker.io");
        assertThat(hub).extracting(Endpoint::mirror).containsExactly(true, true, true, false);
        assertThat(hub.get(0).registry()).isEqualTo("mirror.example");
        assertThat(bases(Endpoint.forPull("ghcr.io", o))).containsExactly("http://hub.fleet:5000", "https://ghcr.io");
        assertThat(bases(Endpoint.forPull("quay.io", o))).containsExactly("https://quay.io");
    }
}
