package io.andock.image;

import io.andock.AndockException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("unit")
class DigestTest {
    static final String EMPTY_SHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void sha256_ofEmptyInput_isTheWellKnownValue() {
        assertThat(Digest.sha256(new byte[0])).hasToString(EMPTY_SHA256);
    }

    @Test
    void parse_roundTripsThroughToString() {
        Digest d = Digest.parse(EMPTY_SHA256);
        assertThat(d.algorithm()).isEqualTo("sha256");
        assertThat(Digest.parse(d.toString())).isEqualTo(d);
        assertThat(d.shortHex()).isEqualTo("e3b0c44298fc");
    }

    @Test
    void parse_sha512_isAccepted_andHashesWithSha512() throws Exception {
        Digest d = Digest.parse("sha512:" + "0".repeat(128));
        assertThat(d.newDigester().getAlgorithm()).isEqualTo("SHA-512");
        assertThat(Digest.parse(EMPTY_SHA256).newDigester().getAlgorithm()).isEqualTo("SHA-256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256", "sha256:", ":abc", "sha256:abc", "md5:d41d8cd98f00b204e9800998ecf8427e",
            "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g",
            "sha256:../../../../etc/passwd", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n",
            "sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})
    void parse_rejectsMalformed_asInvalidArgument(String s) {
        assertThatThrownBy(() -> Digest.parse(s))
                .isInstanceOf(AndockException.class)
                .satisfies(e -> assertThat(((AndockException) e).kind()).isEqualTo(AndockException.Kind.INVALID_ARGUMENT));
        assertThat(Digest.isDigest(s)).isFalse();
    }

    @Test
    void parse_null_isInvalid() {
        assertThatThrownBy(() -> Digest.parse(null)).isInstanceOf(AndockException.class);
        assertThat(Digest.isDigest(null)).isFalse();
    }

    @Test
    void of_finishedDigester_equalsOneShotHash() {
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        var md = Digest.sha256Digester();
        md.update(data);
        assertThat(Digest.of("sha256", md)).isEqualTo(Digest.sha256(data));
    }

    @Test
    void compareTo_ordersByText() {
        Digest a = Digest.parse("sha256:" + "0".repeat(64)), b = Digest.parse("sha256:" + "f".repeat(64));
        List<Digest> l = new ArrayList<>(List.of(b, a));
        l.sort(null);
        assertThat(l).containsExactly(a, b);
    }
}
