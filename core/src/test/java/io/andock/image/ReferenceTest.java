package io.andock.image;

import io.andock.AndockException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reference parsing and normalisation against docker/distribution's {@code reference} grammar and its normaliser. */
@Tag("unit")
class ReferenceTest {
    static final String HEX = "a".repeat(64);

    @Test
    void parse_dockerHubShortName_isLibrary() {
        Reference r = Reference.parse("busybox");
        assertThat(r.domain()).isEqualTo("docker.io");
        assertThat(r.repository()).isEqualTo("library/busybox");
        assertThat(r.tag()).isEqualTo("latest");
        assertThat(r.digest()).isNull();
        assertThat(r).hasToString("docker.io/library/busybox:latest");
        assertThat(r.familiar()).isEqualTo("busybox:latest");
    }

    @ParameterizedTest
    @CsvSource({
            "busybox,                       docker.io, library/busybox,   latest",
            "docker.io/busybox,             docker.io, library/busybox,   latest",
            "index.docker.io/busybox:1,     docker.io, library/busybox,   1",
            "docker.io/library/busybox,     docker.io, library/busybox,   latest",
            "user/app:v2,                   docker.io, user/app,          v2",
            "docker.io/user/app,            docker.io, user/app,          latest",
            "localhost/app,                 localhost, app,               latest",
            "localhost:5000/app:1,          localhost:5000, app,          1",
            "127.0.0.1:5000/busybox,        127.0.0.1:5000, busybox,      latest",
            "example.com/a/b/c:t,           example.com, a/b/c,           t",
            "Example.COM:443/x,             Example.COM:443, x,           latest",
            "Upper/app,                     Upper, app,                   latest",
            "[::1]:5000/busybox:multiarch,  '[::1]:5000', busybox,        multiarch",
            "[fe80::1]/busybox,             '[fe80::1]', busybox,         latest",
            "host:5000,                     docker.io, library/host,      5000",
            "ns/a.b_c__d-e---f,             docker.io, ns/a.b_c__d-e---f, latest",
    })
    void parse_normalisesLikeDocker(String in, String domain, String repo, String tag) {
        Reference r = Reference.parse(in);
        assertThat(r.domain()).isEqualTo(domain);
        assertThat(r.repository()).isEqualTo(repo);
        assertThat(r.tag()).isEqualTo(tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " busybox", "busybox ", "Busybox", "library/BusyBox", "busybox:", "busybox:-x", "busybox:.x",
            "busybox:a/b", "/busybox", "busybox/", "a//b", "_a", "a_", "-a", "a-", "a___b", "a_.b", "a..b",
            "host:port/x", "-host.com/x", "host-.com/x", "busybox@", "busybox@sha256:abc", "busybox@md5:" + "a",
            "busybox@sha256:" + "A" + "a", "busybox:latest:extra", "a:b@c", "bü/x", "x/ü", "busybox\n",
            "http://example.com/x", "example.com:5000/", "[::1/x", "[zz::1]/x",
    })
    void parse_rejectsWhatDockerRejects(String in) {
        assertThatThrownBy(() -> Reference.parse(in))
                .isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT))
                .hasMessageStartingWith("invalid reference format");
    }

    @Test
    void parse_null_isInvalid() {
        assertThatThrownBy(() -> Reference.parse(null)).isInstanceOf(AndockException.class);
    }

    @Test
    void parse_uppercaseRepository_saysLowercase() {
        assertThatThrownBy(() -> Reference.parse("example.com/Foo")).hasMessageContaining("must be lowercase");
    }

    @Test
    void parse_tagOf128Characters_isAccepted_129Rejected() {
        String t128 = "t" + "x".repeat(127);
        assertThat(Reference.parse("busybox:" + t128).tag()).isEqualTo(t128);
        assertThatThrownBy(() -> Reference.parse("busybox:" + t128 + "x")).isInstanceOf(AndockException.class);
    }

    @Test
    void parse_tagWithUnderscoreDotDash_isAccepted() {
        assertThat(Reference.parse("busybox:_1.36.1-musl_X").tag()).isEqualTo("_1.36.1-musl_X");
    }

    /** distribution counts the whole name, {@code domain + "/" + path}, against its 255 characters. */
    @Test
    void parse_nameOf255Characters_isAccepted_256Rejected() {
        String prefix = "docker.io/library/";
        String ok = "a".repeat(255 - prefix.length());
        assertThat(Reference.parse(ok).name()).hasSize(255);
        assertThatThrownBy(() -> Reference.parse(ok + "a")).hasMessageContaining("too long");
        String host = "example.com/";
        String ok2 = "b".repeat(255 - host.length());
        assertThat(Reference.parse(host + ok2).name()).hasSize(255);
        assertThatThrownBy(() -> Reference.parse(host + ok2 + "b")).hasMessageContaining("too long");
    }

    @Test
    void parse_digestOnly_hasNoTag() {
        Reference r = Reference.parse("busybox@sha256:" + HEX);
        assertThat(r.tag()).isNull();
        assertThat(r.digest()).isEqualTo(Digest.parse("sha256:" + HEX));
        assertThat(r.tagOrDigest()).isEqualTo("sha256:" + HEX);
        assertThat(r).hasToString("docker.io/library/busybox@sha256:" + HEX);
        assertThat(r.familiar()).isEqualTo("busybox@sha256:" + HEX);
    }

    @Test
    void parse_tagAndDigest_keepsBoth_digestWinsForRegistry() {
        Reference r = Reference.parse("127.0.0.1:5000/a/b:1.0@sha256:" + HEX);
        assertThat(r.domain()).isEqualTo("127.0.0.1:5000");
        assertThat(r.tag()).isEqualTo("1.0");
        assertThat(r.tagOrDigest()).isEqualTo("sha256:" + HEX);
        assertThat(r.familiar()).isEqualTo("127.0.0.1:5000/a/b:1.0@sha256:" + HEX);
    }

    @Test
    void parse_sha512Digest_isAccepted() {
        assertThat(Reference.parse("x@sha512:" + "b".repeat(128)).digest().algorithm()).isEqualTo("sha512");
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox", "user/app:1", "localhost:5000/a/b:c", "[::1]:5000/x:y", "docker.io/library/ubuntu:22.04"})
    void toString_parsesBackToTheSameReference(String in) {
        Reference r = Reference.parse(in);
        assertThat(Reference.parse(r.toString())).isEqualTo(r);
        assertThat(Reference.parse(r.familiar())).isEqualTo(r);
    }

    @Test
    void familiarName_dropsDockerHubAndLibraryOnly() {
        assertThat(Reference.parse("docker.io/user/app").familiarName()).isEqualTo("user/app");
        assertThat(Reference.parse("docker.io/library/a/b").familiarName()).isEqualTo("a/b");
        assertThat(Reference.parse("quay.io/library/x").familiarName()).isEqualTo("quay.io/library/x");
    }

    @Test
    void withTag_replacesTagAndDropsDigest() {
        Reference r = Reference.parse("busybox:1@sha256:" + HEX).withTag("2");
        assertThat(r).hasToString("docker.io/library/busybox:2");
    }
}
