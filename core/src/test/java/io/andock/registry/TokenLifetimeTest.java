package io.andock.registry;

import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import io.andock.testkit.TokenServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A token server's {@code expires_in}, however absurd, never fails a pull: it is clamped to 1 s .. 24 h. */
@Tag("registry")
class TokenLifetimeTest {
    static TokenServer tokens;
    static TestRegistry registry;

    @BeforeAll
    static void start() {
        Fixtures.assumeAvailable();
        tokens = new TokenServer().anonymousPull("busybox");
        registry = TestRegistry.builder().tokenAuth(tokens).start();
        registry.push("busybox:latest");
    }

    @AfterAll
    static void stop() {
        if (registry != null) registry.close();
        if (tokens != null) tokens.close();
        tokens = null;
    }

    @ParameterizedTest(name = "expires_in {0}")
    @ValueSource(strings = {"9223372036854775807", "-9223372036854775808", "-5", "0", "1e400", "\"soon\"", "\"300\"",
            "null", "[]", "{}", "3.5", "99999999999999999999999999"})
    void pull_succeeds_whateverTheTokenLifetime(String expiresIn) throws Exception {
        tokens.expiresInJson(expiresIn);
        try {
            RegistryClient client = new RegistryClient(RegistryFixture.fastOptions(), CredentialStore.none());
            assertThat(client.manifest(RegistryFixture.ref(registry.host(), "busybox:latest")).bytes()).isNotEmpty();
            assertThat(client.manifest(RegistryFixture.ref(registry.host(), "busybox:latest")).bytes()).isNotEmpty();
        } finally {
            tokens.expiresInJson(null);
        }
    }

    @Test
    void lifetime_isClamped() {
        assertThat(Authenticator.lifetimeSeconds(Long.MAX_VALUE)).isEqualTo(24 * 3600);
        assertThat(Authenticator.lifetimeSeconds(-5L)).isEqualTo(60);
        assertThat(Authenticator.lifetimeSeconds(0L)).isEqualTo(60);
        assertThat(Authenticator.lifetimeSeconds(Double.NaN)).isEqualTo(60);
        assertThat(Authenticator.lifetimeSeconds("soon")).isEqualTo(60);
        assertThat(Authenticator.lifetimeSeconds(null)).isEqualTo(60);
        assertThat(Authenticator.lifetimeSeconds(300L)).isEqualTo(300);
        assertThat(Authenticator.lifetimeSeconds("120")).isEqualTo(120);
    }
}
