package io.andock.hub;

import io.andock.AndockException;
import io.andock.json.Json;
import io.andock.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code "storage": {"s3": …}} in hub.json: what is required, the credentials from the environment, one-line errors. */
@Tag("unit")
class HubConfigS3Test {
    static JsonObject storage(String json) {
        return JsonObject.of(Json.parse(json.getBytes()));
    }

    @Test
    void s3_fromTheConfigWithItsDefaults() {
        HubConfig.S3 s = HubConfig.s3(storage("{\"s3\": {\"endpoint\": \"http://127.0.0.1:8333\", \"bucket\": \"fleet-hub\", "
                + "\"access-key\": \"k\", \"secret-key\": \"s\"}}"), Map.of());
        assertThat(s.endpoint().toString()).isEqualTo("http://127.0.0.1:8333");
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.prefix()).isEmpty();
        assertThat(s.toString()).doesNotContain("s\"").isEqualTo("http://127.0.0.1:8333/fleet-hub");
    }

    @Test
    void s3_credentialsAndRegionFromTheEnvironment() {
        HubConfig.S3 s = HubConfig.s3(storage("{\"s3\": {\"endpoint\": \"https://s3.example\", \"bucket\": \"b-1\", \"prefix\": \"hub/one\"}}"),
                Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_REGION", "eu-central-1"));
        assertThat(s.accessKey()).isEqualTo("id");
        assertThat(s.secretKey()).isEqualTo("secret");
        assertThat(s.region()).isEqualTo("eu-central-1");
        assertThat(s.prefix()).isEqualTo("hub/one");
    }

    @Test
    void s3_badSettingsAreOneLineErrors() {
        Map<String, String> creds = Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret");
        for (String[] c : new String[][]{
                {"{\"s3\": {\"bucket\": \"b-1\"}}", "needs \"endpoint\" and \"bucket\""},
                {"{\"s3\": {\"endpoint\": \"ftp://x\", \"bucket\": \"b-1\"}}", "expected http(s)://host[:port]"},
                {"{\"s3\": {\"endpoint\": \"http://x\", \"bucket\": \"B_bad\"}}", "invalid bucket name"},
                {"{\"s3\": {\"endpoint\": \"http://x\", \"bucket\": \"b-1\", \"prefix\": \"../up\"}}", "invalid prefix"},
                {"{\"s3\": {\"endpoint\": \"http://x\", \"bucket\": \"b-1\", \"secret\": \"x\"}}", "unknown key \"storage.s3.secret\""},
                {"{\"gcs\": {}}", "unknown key \"storage.gcs\""}}) {
            assertThatThrownBy(() -> HubConfig.s3(storage(c[0]), creds)).as(c[0]).isInstanceOf(AndockException.class)
                    .hasMessageContaining(c[1]).hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> HubConfig.s3(storage("{\"s3\": {\"endpoint\": \"http://x\", \"bucket\": \"b-1\"}}"), Map.of()))
                .hasMessageContaining("no credentials");
    }
}
