package io.andock.hub.storage;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Signature V4 against the worked examples of Amazon's S3 documentation ("Signature Calculations ... Header"). */
@Tag("unit")
class S3SignerTest {
    static final S3Signer SIGNER = new S3Signer("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1");
    static final ZonedDateTime WHEN = ZonedDateTime.parse("2013-05-24T00:00:00Z");
    static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void sign_getBucketLifecycle() {
        Map<String, String> h = SIGNER.sign("GET", URI.create("https://examplebucket.s3.amazonaws.com/?lifecycle"), Map.of(), EMPTY, WHEN);
        assertThat(h.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
        assertThat(h).containsEntry("x-amz-date", "20130524T000000Z").containsEntry("x-amz-content-sha256", EMPTY);
    }

    @Test
    void sign_listObjectsWithASortedQuery() {
        Map<String, String> h = SIGNER.sign("GET", URI.create("https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2"), Map.of(), EMPTY, WHEN);
        assertThat(h.get("Authorization")).endsWith("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    }

    @Test
    void encode_keepsUnreservedAndSlashesInPaths() {
        assertThat(S3Signer.encode("meta/repos/a b+c", true)).isEqualTo("meta/repos/a%20b%2Bc");
        assertThat(S3Signer.encode("x/y=", false)).isEqualTo("x%2Fy%3D");
    }
}
