package io.andock.builder;

import com.sun.net.httpserver.HttpServer;
import io.andock.dockerfile.Dockerfile;
import io.andock.image.Digest;
import io.andock.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --label} on a build, and {@code ADD <url>} from a local HTTP server. */
@Tag("integration")
class BuildLabelsAndUrlTest {
    @TempDir
    Path tmp;

    @Test
    void labels_areSetOnTheTargetImageLikeAFinalLabel() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        f.dockerfile("FROM BASE AS first", "LABEL first=1", "FROM BASE", "LABEL a=dockerfile keep=yes");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("a", "b");
        labels.put("empty", "");
        Digest id = f.build(BuildRequest.of(f.ctx).withTags(List.of("labels:1")).withLabels(labels)).imageId();
        JsonObject image = f.config(id);
        Map<String, String> got = image.object("config").stringMap("Labels");
        assertThat(got).containsEntry("a", "b").containsEntry("empty", "").containsEntry("keep", "yes")
                .doesNotContainKey("first");
        // no history entry of its own: one per Dockerfile instruction of the target stage on top of the base's
        Digest plain = f.build(BuildRequest.of(f.ctx).withTags(List.of("labels:2"))).imageId();
        assertThat(f.config(plain).object("config").stringMap("Labels")).containsEntry("a", "dockerfile");
        assertThat(image.objects("history")).hasSameSizeAs(f.config(plain).objects("history"));
    }

    @Test
    void addUrl_downloadsTheFileWithMode0600() throws Exception {
        BuildFixture f = new BuildFixture(tmp);
        byte[] body = "hello from http\n".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/file", x -> {
            x.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
            x.sendResponseHeaders(200, body.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            f.dockerfile("FROM BASE", "ADD http://127.0.0.1:" + port + "/file /dst");
            f.build("addurl:1");
            Path dst = f.rootfs("addurl:1").resolve("dst");
            assertThat(Files.readAllBytes(dst)).isEqualTo(body);
            assertThat(((Integer) Files.getAttribute(dst, "unix:mode")) & 07777).isEqualTo(0600);
            assertThat(f.layerEntries("addurl:1", -1)).anyMatch(e -> e.startsWith("dst ") && e.endsWith(" 600"));
        } finally {
            server.stop(0);
        }
    }
}
