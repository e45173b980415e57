package io.andock.registry;

import io.andock.AndockException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialStoreTest {
    @TempDir
    Path dir;

    @Test
    void saveFindRemove_roundTrip_inDockerShape_mode0600() throws Exception {
        CredentialStore store = new CredentialStore(dir.resolve("auth.json"), List.of());
        store.save("127.0.0.1:5000", new Credentials("alice", "s3cret:with:colons"));
        store.save("docker.io", new Credentials("bob", "pw"));

        assertThat(store.find("127.0.0.1:5000")).contains(new Credentials("alice", "s3cret:with:colons"));
        assertThat(store.find("index.docker.io")).contains(new Credentials("bob", "pw"));
        String json = Files.readString(dir.resolve("auth.json"));
        assertThat(json).contains("\"auths\"", "\"https://index.docker.io/v1/\"", "\"127.0.0.1:5000\"", "\"auth\"")
                .doesNotContain("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("auth.json")))).isEqualTo("rw-------");

        assertThat(store.remove("127.0.0.1:5000")).isTrue();
        assertThat(store.remove("127.0.0.1:5000")).isFalse();
        assertThat(store.find("127.0.0.1:5000")).isEmpty();
        assertThat(store.find("docker.io")).isPresent();
    }

    @Test
    void dockerConfig_isReadOnly_hubKeyedByV1Url_ownFileWins() throws Exception {
        Path docker = dir.resolve("config.json");
        Files.writeString(docker, """
                {"auths":{"https://index.docker.io/v1/":{"auth":"%s"},
                          "http://10.0.0.2:5000":{"username":"carol","password":"pw2"},
                          "other.example":{}},
                 "credsStore":"desktop"}
                """.formatted(new Credentials("hubuser", "hubpw").encoded()));
        CredentialStore store = new CredentialStore(dir.resolve("auth.json"), List.of(docker));

        assertThat(store.find("docker.io")).contains(new Credentials("hubuser", "hubpw"));
        assertThat(store.find("10.0.0.2:5000")).contains(new Credentials("carol", "pw2"));
        assertThat(store.find("other.example")).isEmpty();

        store.save("docker.io", new Credentials("mine", "pw"));
        assertThat(store.find("docker.io")).contains(new Credentials("mine", "pw"));
        assertThat(store.remove("10.0.0.2:5000")).isFalse();
        assertThat(Files.readString(docker)).contains("carol");
    }

    @Test
    void normalize_dropsSchemeAndPath_andAliasesDockerHub() {
        assertThat(CredentialStore.normalize("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(CredentialStore.normalize("registry-1.docker.io")).isEqualTo("docker.io");
        assertThat(CredentialStore.normalize("http://127.0.0.1:5000/v2/")).isEqualTo("127.0.0.1:5000");
    }

    @Test
    void brokenEntry_isAClearError() throws Exception {
        Files.writeString(dir.resolve("auth.json"), "{\"auths\":{\"h\":{\"auth\":\"bm9jb2xvbg==\"}}}");
        CredentialStore store = new CredentialStore(dir.resolve("auth.json"), List.of());
        assertThatThrownBy(() -> store.find("h")).isInstanceOf(AndockException.class)
                .hasMessageContaining("auth.json").hasMessageContaining("user:password");
        assertThat(new Credentials("u", "p").toString()).doesNotContain("p]").contains("****");
    }
}
