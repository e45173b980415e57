package io.andock.cli;

import io.andock.testkit.Cmd;
import io.andock.testkit.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code andock hub serve|gc|status} as a user runs them: a real process, skopeo pushing to it, one-line errors. */
@Tag("registry")
class CliHubTest {
    @TempDir
    Path tmp;

    @Test
    void serveStatusAndGc() throws Exception {
        Fixtures.assumeAvailable();
        Path hubRoot = tmp.resolve("hub");
        List<String> cmd = new ArrayList<>(Andock.javaCommand());
        cmd.addAll(List.of("--root", hubRoot.toString(), "hub", "serve", "--addr", "127.0.0.1:0"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            for (String line; url == null && (line = r.readLine()) != null; ) {
                if (line.startsWith("andock hub listening on ")) url = line.substring(24, line.indexOf(',', 24));
            }
            assertThat(url).startsWith("http://127.0.0.1:");
            String host = url.substring("http://".length());
            Cmd.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + Fixtures.layout("busybox") + ":latest", "docker://" + host + "/team/busybox:1");
            Andock andock = new Andock(hubRoot);
            String status = andock.ok("hub", "status");
            assertThat(status).contains("repositories: 1").contains("tags: 1").contains("manifests: 1");
            Cmd.run("skopeo", "delete", "--tls-verify=false", "docker://" + host + "/team/busybox:1");
            // skopeo delete removes the manifest by digest: gc removes the links and blobs it named
            assertThat(andock.ok("hub", "gc", "--grace", "0")).contains("2 unreferenced blob link(s), 3 blob(s)");
            assertThat(andock.ok("hub", "status")).contains("blobs: 0");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    @Test
    void badSettingsAreOneLineErrors() throws Exception {
        Andock andock = new Andock(tmp.resolve("hub"));
        Cmd.Result open = andock.run("hub", "serve", "--addr", "0.0.0.0:0");
        assertThat(open.exitCode()).isNotZero();
        assertThat(open.stderr().strip()).contains("plain HTTP on 0.0.0.0:0").doesNotContain("\n");
        Path bad = tmp.resolve("hub.json");
        Files.writeString(bad, "{\"addr\": \"127.0.0.1:0\", \"auth\": {\"htpasswd\": \"users\", \"anonymus-pull\": true}}");
        Cmd.Result cfg = andock.run("hub", "serve", "--config", bad.toString());
        assertThat(cfg.exitCode()).isNotZero();
        assertThat(cfg.stderr().strip()).contains("unknown key \"auth.anonymus-pull\"").doesNotContain("\n");
        // an engine's store is not a hub's
        Path engineRoot = tmp.resolve("engine");
        Files.createDirectories(engineRoot.resolve("snapshots"));
        Cmd.Result shared = new Andock(engineRoot).run("hub", "serve", "--addr", "127.0.0.1:0");
        assertThat(shared.exitCode()).isNotZero();
        assertThat(shared.stderr()).contains("is an andock engine store");
        Cmd.Result gc = new Andock(engineRoot).run("hub", "gc", "--grace", "0");
        assertThat(gc.exitCode()).isNotZero();
        assertThat(gc.stderr()).contains("is an andock engine store");
        Cmd.Result help = andock.run("hub", "serve", "--help");
        assertThat(help.stdout()).contains("--htpasswd").contains("--tls-cert");
    }
}
