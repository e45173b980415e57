package io.andock.registry;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Upload locations: relative or absolute, their query kept, the endpoint they go through. No network. */
class UploadSessionTest {
    static final URI POST = URI.create("http://127.0.0.1:5000/v2/a/blobs/uploads/");

    @Test
    void relativeLocation_resolvesAgainstTheRequest_andKeepsItsQuery() {
        UploadSession s = UploadSession.resolve(POST, "/v2/a/blobs/uploads/u-1?_state=abc%3D%3D");
        assertThat(s.url()).isEqualTo("http://127.0.0.1:5000/v2/a/blobs/uploads/u-1?_state=abc%3D%3D");
        assertThat(s.withParam("digest", "sha256:00")).isEqualTo(s.url() + "&digest=sha256%3A00");
    }

    @Test
    void absoluteLocation_isKeptAsItIs() {
        UploadSession s = UploadSession.resolve(POST, "https://uploads.example/x/u-2");
        assertThat(s.url()).isEqualTo("https://uploads.example/x/u-2");
        assertThat(s.withParam("digest", "sha256:00")).isEqualTo("https://uploads.example/x/u-2?digest=sha256%3A00");
    }

    @Test
    void endpoint_isTheOneWithTheLocationsOrigin() {
        RegistryOptions o = RegistryOptions.defaults().withInsecureRegistries(Set.of("reg.example:5000"))
                .withMirrors(Map.of());
        List<Endpoint> origin = Endpoint.origin("reg.example:5000", o);   // https, then http
        assertThat(UploadSession.resolve(URI.create("http://reg.example:5000/v2/"), "/v2/a/blobs/uploads/u")
                .endpoint(origin).get(0).base().getScheme()).isEqualTo("http");
        assertThat(UploadSession.resolve(URI.create("https://reg.example:5000/v2/"), "/v2/a/blobs/uploads/u")
                .endpoint(origin).get(0).base().getScheme()).isEqualTo("https");
    }
}
