package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Names and ids in API paths, queries and bodies never reach outside the store: the real docker CLI and raw HTTP. */
class HostileNamesApiTest {
    static DaemonFixture f;
    static Path sentinel;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
        // where ../../x leads from <root>/volumes and <root>/containers, with a record planted in it
        sentinel = Files.createDirectories(f.root.resolve("../x"));
        Files.createDirectories(sentinel.resolve("_data"));
        Files.writeString(Files.createDirectories(sentinel.resolve("a".repeat(56))).resolve("config.json"), "{}");
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    private static void assertSentinelIntact() {
        assertThat(sentinel.resolve("_data")).isDirectory();
        assertThat(sentinel.resolve("a".repeat(56)).resolve("config.json")).isRegularFile();
    }

    private static String exchange(String method, String path, String body) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(f.socket));
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = Channels.newOutputStream(ch);
            out.write((method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(b);
            out.flush();
            InputStream in = Channels.newInputStream(ch);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void dockerCli_volumes_hostileNames() throws Exception {
        for (String n : List.of("../../x", "..", ".", "a/b", "../../x/" + "a".repeat(56), "a".repeat(300))) {
            for (String cmd : List.of("rm", "inspect")) {
                // "." and ".." are normalised away by the HTTP layers (GET /volumes/. lists); rawHttp_* sends them encoded
                if (n.equals(".") || n.equals("..")) continue;
                DaemonFixture.Result r = f.run("volume", cmd, n);
                assertThat(r.code()).as(cmd + " " + n).isNotZero();
                // a "/" goes unescaped in the docker CLI's URL: no route matches ("page not found", as dockerd says)
                assertThat(r.err()).as(cmd + " " + n).containsAnyOf("no such volume", "page not found", "not allowed");
            }
            DaemonFixture.Result c = f.run("volume", "create", n);
            assertThat(c.code()).as("create " + n).isNotZero();
            assertThat(c.err()).as("create " + n).containsAnyOf("invalid characters", "too short");
        }
        assertSentinelIntact();
    }

    @Test
    void dockerCli_containers_hostileRefs() throws Exception {
        String id = "../../x/" + "a".repeat(56);
        for (String n : List.of("../../x", "..", "a/b", id)) {
            for (List<String> cmd : List.of(List.of("container", "inspect"), List.of("rm", "-f"), List.of("stop"), List.of("logs"))) {
                List<String> argv = new java.util.ArrayList<>(cmd);
                argv.add(n);
                DaemonFixture.Result r = f.run(argv.toArray(String[]::new));
                if (cmd.get(0).equals("rm")) continue; // docker rm -f ignores "no such container", as with dockerd
                assertThat(r.code()).as(argv.toString()).isNotZero();
                assertThat(r.err().toLowerCase()).as(argv.toString()).containsAnyOf("no such container", "page not found");
            }
        }
        DaemonFixture.Result create = f.run("create", "--name", "../x", f.image("busybox:latest"), "true");
        assertThat(create.err()).contains("Invalid container name");
        assertSentinelIntact();
    }

    @Test
    void rawHttp_encodedAndHostileParams() throws Exception {
        String pad = "a".repeat(56);
        for (String p : List.of("%2e%2e", "%2E%2E%2F%2E%2E%2Fx", "..%2f..%2fx%2f" + pad, "x%00y", "x%0ay", "%2e")) {
            for (String m : List.of("GET /v1.43/volumes/" + p, "DELETE /v1.43/volumes/" + p)) {
                String[] mp = m.split(" ");
                String r = exchange(mp[0], mp[1], null);
                assertThat(r).as(m).matches("(?s)HTTP/1.1 (400|404).*");
                assertThat(r).as(m).doesNotStartWith("HTTP/1.1 2");
            }
            for (String m : List.of("GET /v1.43/containers/" + p + "/json", "DELETE /v1.43/containers/" + p + "?force=1",
                    "POST /v1.43/containers/" + p + "/start", "GET /v1.43/containers/" + p + "/logs?stdout=1")) {
                String[] mp = m.split(" ");
                String r = exchange(mp[0], mp[1], null);
                assertThat(r).as(m).matches("(?s)HTTP/1.1 (400|404).*");
            }
        }
        String body = exchange("POST", "/v1.43/volumes/create", "{\"Name\":\"../../x\"}");
        assertThat(body).startsWith("HTTP/1.1 400").contains("invalid characters");
        String named = exchange("POST", "/v1.43/containers/create?name=..%2F..%2Fx", "{\"Image\":\"" + f.image("busybox:latest") + "\"}");
        assertThat(named).startsWith("HTTP/1.1 400").contains("Invalid container name");
        String mount = exchange("POST", "/v1.43/containers/create", "{\"Image\":\"" + f.image("busybox:latest")
                + "\",\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"../../x\",\"Target\":\"/d\"}]}}");
        assertThat(mount).startsWith("HTTP/1.1 400");
        String ps = exchange("GET", "/v1.43/containers/json?all=1&filters=%7B%22id%22%3A%5B%22..%2F..%2Fx%22%5D%7D", null);
        assertThat(ps).startsWith("HTTP/1.1 200").endsWith("[]");
        assertSentinelIntact();
        assertThat(f.root.resolve("volumes")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(Files.list(p).toList()).isEmpty());
    }
}
