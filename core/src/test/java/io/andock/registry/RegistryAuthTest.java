package io.andock.registry;

import io.andock.AndockException;
import io.andock.AndockException.Kind;
import io.andock.image.Descriptor;
import io.andock.image.Digest;
import io.andock.image.ImageIndex;
import io.andock.image.Manifest;
import io.andock.image.Platform;
import io.andock.image.Reference;
import io.andock.testkit.Fixtures;
import io.andock.testkit.TestRegistry;
import io.andock.testkit.TokenServer;
import io.andock.transfer.RawManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Basic (htpasswd) and Bearer token registries, credentials from andock's file and Docker's, login/logout. */
class RegistryAuthTest {
    static final String USER = "alice";
    static final String PASSWORD = "alice-pw";
    static TestRegistry basic;
    static TokenServer tokens;
    static TestRegistry tokenRegistry;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        Fixtures.assumeAvailable();
        basic = TestRegistry.builder().basicAuth(USER, PASSWORD).start();
        basic.push("busybox:latest");
        tokens = new TokenServer().user(USER, PASSWORD).anonymousPull("busybox");
        tokenRegistry = TestRegistry.builder().tokenAuth(tokens).start();
        tokenRegistry.push("busybox:multiarch", "layers:whiteouts");
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

    private RegistryClient client(CredentialStore store) {
        return new RegistryClient(RegistryFixture.fastOptions(), store);
    }

    private CredentialStore ownStore() {
        return new CredentialStore(dir.resolve("auth.json"), List.of());
    }

    private static Reference ref(TestRegistry r, String repoTag) {
        return RegistryFixture.ref(r.host(), repoTag);
    }

    private static void pullEverything(RegistryClient client, Reference ref) throws Exception {
        RawManifest top = client.manifest(ref);
        List<RawManifest> manifests = new java.util.ArrayList<>();
        if (ImageIndex.isIndex(top.bytes(), top.mediaType())) {
            for (Descriptor d : ImageIndex.parse(top.bytes(), top.mediaType()).manifests()) manifests.add(client.manifest(ref, d.digest()));
        } else {
            manifests.add(top);
        }
        for (RawManifest raw : manifests) {
            Manifest m = Manifest.parse(raw.bytes(), raw.mediaType());
            for (Descriptor blob : concat(m.config(), m.layers())) {
                try (InputStream in = client.blob(ref, blob, 0)) {
                    assertThat(Digest.sha256(in.readAllBytes())).isEqualTo(blob.digest());
                }
            }
        }
    }

    private static List<Descriptor> concat(Descriptor first, List<Descriptor> rest) {
        List<Descriptor> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    @Test
    void basic_withoutCredentials_isUnauthorized_withAClearMessage() {
        assertThatThrownBy(() -> client(CredentialStore.none()).manifest(ref(basic, "busybox:latest")))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
                .hasMessage("pull access denied for " + basic.host() + "/busybox, repository does not exist or may require "
                        + "'andock login': authentication required");
    }

    @Test
    void basic_withCredentialsFromAndocksFile() throws Exception {
        ownStore().save(basic.host(), new Credentials(USER, PASSWORD));
        pullEverything(client(ownStore()), ref(basic, "busybox:latest"));
    }

    @Test
    void basic_withCredentialsFromADockerConfigFile() throws Exception {
        Path docker = dir.resolve("docker/config.json");
        Files.createDirectories(docker.getParent());
        Files.writeString(docker, "{\"auths\":{\"http://" + basic.host() + "\":{\"auth\":\""
                + new Credentials(USER, PASSWORD).encoded() + "\"}},\"HttpHeaders\":{}}");
        CredentialStore store = new CredentialStore(dir.resolve("auth.json"), List.of(docker));
        pullEverything(client(store), ref(basic, "busybox:latest"));
        assertThat(dir.resolve("auth.json")).doesNotExist();
    }

    @Test
    void basic_wrongPassword_isUnauthorized() {
        ownStore().save(basic.host(), new Credentials(USER, "wrong"));
        assertThatThrownBy(() -> client(ownStore()).manifest(ref(basic, "busybox:latest")))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED));
    }

    @Test
    void login_verifiesBeforeSaving_basic() {
        RegistryClient client = client(ownStore());
        assertThatThrownBy(() -> client.login(basic.host(), USER, "wrong"))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
                .hasMessageStartingWith("login " + basic.host() + ": ");
        assertThat(dir.resolve("auth.json")).doesNotExist();

        client.login(basic.host(), USER, PASSWORD);
        assertThat(ownStore().find(basic.host())).contains(new Credentials(USER, PASSWORD));
        client.ping(basic.host());
        assertThat(client.logout(basic.host())).isTrue();
        assertThat(ownStore().find(basic.host())).isEmpty();
    }

    @Test
    void token_anonymousFlow_oneTokenForTheWholePull() throws Exception {
        RegistryClient client = client(CredentialStore.none());
        pullEverything(client, ref(tokenRegistry, "busybox:multiarch"));

        List<TokenServer.Request> requests = tokens.requests();
        assertThat(requests).hasSize(1);   // cached per (registry, scope) for the index, 3 manifests, 3 configs, 3 layers
        assertThat(requests.get(0).anonymous()).isTrue();
        assertThat(requests.get(0).service()).isEqualTo(tokens.service());
        assertThat(requests.get(0).scopes()).containsExactly("repository:busybox:pull");

        // another repository is another scope: a new token, refused anonymously
        assertThatThrownBy(() -> client.manifest(ref(tokenRegistry, "layers:whiteouts")))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
                .hasMessageContaining("pull access denied for " + tokenRegistry.host() + "/layers")
                .hasMessageContaining("may require 'andock login'");
        assertThat(tokens.requests()).hasSize(2);
    }

    @Test
    void token_credentialedFlow_privateRepository() throws Exception {
        ownStore().save(tokenRegistry.host(), new Credentials(USER, PASSWORD));
        RegistryClient client = client(ownStore());
        pullEverything(client, ref(tokenRegistry, "layers:whiteouts"));
        assertThat(client.tags(ref(tokenRegistry, "layers:whiteouts"))).contains("whiteouts");

        List<TokenServer.Request> requests = tokens.requests();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).user()).isEqualTo(USER);
        assertThat(requests.get(0).granted()).containsExactly("repository:layers:pull");
    }

    @Test
    void token_login_wrongPasswordRefusedAndNotSaved_rightOneSaved() {
        RegistryClient client = client(ownStore());
        assertThatThrownBy(() -> client.login(tokenRegistry.host(), USER, "wrong"))
                .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
                .hasMessageContaining("incorrect username or password");
        assertThat(ownStore().find(tokenRegistry.host())).isEmpty();
        assertThat(tokens.requests()).extracting(TokenServer.Request::status).containsExactly(401);

        client.login(tokenRegistry.host(), USER, PASSWORD);
        assertThat(ownStore().find(tokenRegistry.host())).contains(new Credentials(USER, PASSWORD));
    }

    @Test
    void token_expired_isFetchedAgain() throws Exception {
        tokens.tokenTtlSeconds(1);
        try {
            RegistryClient client = client(CredentialStore.none());
            Reference bb = ref(tokenRegistry, "busybox:multiarch");
            client.manifest(bb);
            client.manifest(bb);
            assertThat(tokens.requests()).hasSize(1);
            Thread.sleep(1_100);
            client.manifest(bb);
            assertThat(tokens.requests()).hasSize(2);
        } finally {
            tokens.tokenTtlSeconds(300);
        }
    }

    @Test
    void token_refusedDespiteCache_isRefreshedOnce_andOnlyOnce() throws Exception {
        try (FlakyFront front = new FlakyFront(tokenRegistry.host())) {
            RegistryClient client = client(CredentialStore.none());
            Reference bb = ref(front, "busybox:multiarch");
            client.manifest(bb);
            assertThat(tokens.requests()).hasSize(1);
            String challenge = "WWW-Authenticate: Bearer realm=\"" + tokens.realm() + "\",service=\"" + tokens.service()
                    + "\",scope=\"repository:busybox:pull\"";

            front.failNext(1, 401, null, challenge);     // as if the cached token were revoked
            assertThat(client.manifest(bb).digest().toString()).isEqualTo(Fixtures.manifestDigest("busybox", "multiarch"));
            assertThat(tokens.requests()).hasSize(2);

            front.failNext(5, 401, null, challenge);     // refused again after the refresh: no loop
            assertThatThrownBy(() -> client.manifest(bb))
                    .isInstanceOfSatisfying(AndockException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED));
            assertThat(front.count("401 ")).isEqualTo(1 + 2);
            assertThat(tokens.requests()).hasSize(3);
        }
    }

    private static Reference ref(FlakyFront f, String repoTag) {
        return RegistryFixture.ref(f.host(), repoTag);
    }
}
