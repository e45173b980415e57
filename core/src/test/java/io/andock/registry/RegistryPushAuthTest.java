package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import io.andock.image.Reference;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import io.andock.testkit.TokenServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.andock.registry.PushFixture.layout;
import static io.andock.registry.PushFixture.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pushes to Basic (htpasswd) and Bearer token registries: push scopes, mount scopes, refusals. */
class RegistryPushAuthTest {
    static final String USER = "bob";
    static final String PASSWORD = "bob-pw";
    static TestRegistry basic;
    static TokenServer tokens;
    static TestRegistry tokenRegistry;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        Fixtures.assumeAvailable();
        basic = TestRegistry.builder().basicAuth(USER, PASSWORD).start();
        tokens = new TokenServer().user(USER, PASSWORD).anonymousPull("busybox");
        tokenRegistry = TestRegistry.builder().tokenAuth(tokens).start();
    }

    @AfterAll
    static void stop() {
        if (basic != null) basic.close();
        if (tokenRegistry != null) tokenRegistry.close();
        if (tokens != null) tokens.close();
    }

    @BeforeEach
    void clear() {
        tokens.clearRequests();
    }

    private RegistryClient client(String registry, String user, String password) {
        CredentialStore store = new CredentialStore(dir.resolve("auth.json"), List.of());
        if (user != null) store.save(registry, new Credentials(user, password));
        return new RegistryClient(RegistryFixture.fastOptions(), store);
    }

    @Test
    void push_withBasicAuth() {
        RegistryClient c = client(basic.host(), USER, PASSWORD);
        push(c, layout("busybox", "latest"), RegistryFixture.ref(basic.host(), "basic/busybox:latest"), PushOptions.defaults());
        assertThat(PushFixture.skopeoDigest(basic.ref("basic/busybox:latest"), USER + ":" + PASSWORD).toString())
                .isEqualTo(Fixtures.manifestDigest("busybox", "latest"));
    }

    @Test
    void push_withoutCredentials_toBasicRegistry_isUnauthorized() {
        RegistryClient c = client(basic.host(), null, null);
        Reference to = RegistryFixture.ref(basic.host(), "basic/nope:latest");
        assertThatThrownBy(() -> push(c, layout("busybox", "latest"), to, PushOptions.defaults()))
                .isInstanceOfSatisfying(AndockException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("push access denied for " + basic.host() + "/basic/nope");
                });
    }

    @Test
    void push_withToken_asksForPushScope() {
        RegistryClient c = client(tokenRegistry.host(), USER, PASSWORD);
        push(c, layout("busybox", "multiarch"), RegistryFixture.ref(tokenRegistry.host(), "team/busybox:multiarch"),
                PushOptions.defaults());
        assertThat(tokens.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.user()).isEqualTo(USER);
            assertThat(r.scopes()).containsExactly("repository:team/busybox:pull,push");
            assertThat(r.granted()).containsExactly("repository:team/busybox:pull,push");
        });
        assertThat(tokens.requests()).hasSize(1);   // one token serves checks, uploads and manifests
        assertThat(PushFixture.skopeoDigest(tokenRegistry.ref("team/busybox:multiarch"),
                TokenServer.ADMIN_USER + ":" + TokenServer.ADMIN_PASSWORD).toString())
                .isEqualTo(Fixtures.manifestDigest("busybox", "multiarch"));
    }

    @Test
    void push_withToken_mountAsksForPullOnTheSourceRepository() {
        RegistryClient c = client(tokenRegistry.host(), USER, PASSWORD);
        Reference a = RegistryFixture.ref(tokenRegistry.host(), "src/busybox:latest");
        push(c, layout("busybox", "latest"), a, PushOptions.defaults());
        tokens.clearRequests();
        PushFixture.Events events = new PushFixture.Events();
        push(c, layout("busybox", "latest"), RegistryFixture.ref(tokenRegistry.host(), "dst/busybox:latest"),
                PushOptions.defaults().withListener(events).withOrigins(BlobOrigins.repository(a)));
        assertThat(events.statuses).contains(RegistryPushTest.layers("busybox", "latest").get(0).digest().shortHex()
                + ": Mounted from src/busybox");
        assertThat(tokens.requests()).anySatisfy(r ->
                assertThat(r.scopes()).containsExactly("repository:dst/busybox:pull,push", "repository:src/busybox:pull"));
        assertThat(tokenRegistry.log()).contains("from=src%2Fbusybox HTTP/1.1\" 201");
    }

    @Test
    void push_anonymously_toTokenRegistry_isUnauthorized() {
        RegistryClient c = client(tokenRegistry.host(), null, null);
        Reference to = RegistryFixture.ref(tokenRegistry.host(), "busybox:latest");   // anonymous may pull it, not push
        assertThatThrownBy(() -> push(c, layout("busybox", "latest"), to, PushOptions.defaults()))
                .isInstanceOfSatisfying(AndockException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("push access denied for " + tokenRegistry.host() + "/busybox",
                            "may require 'andock login'");
                });
        assertThat(tokens.requests()).anySatisfy(r -> {
            assertThat(r.anonymous()).isTrue();
            assertThat(r.scopes()).containsExactly("repository:busybox:pull,push");
            assertThat(r.granted()).containsExactly("repository:busybox:pull");
        });
    }
}
