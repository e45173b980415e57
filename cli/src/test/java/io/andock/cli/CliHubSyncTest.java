package io.andock.cli;

import io.andock.testkit.Cmd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * andock hub sync end to end with real processes: {@code andock hub serve}, the sync fixtures' images made by
 * make-rootfs.sh (GNU tar) and umoci and pushed with skopeo, devices as separate andock roots. Bytes are counted by
 * the hub's {@code /metrics}. Needs {@code ../shared/fixtures/sync}, umoci and skopeo; skipped elsewhere.
 */
@Tag("registry")
class CliHubSyncTest {
    private static final Path FIXTURES = Path.of("../../shared/fixtures/sync").toAbsolutePath().normalize();
    private static Process hub;
    private static String host;
    private static Path images;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void hubWithImages() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(FIXTURES.resolve("make-rootfs.sh")), "skipped: no " + FIXTURES);
        Assumptions.assumeTrue(Cmd.exec("umoci", "--version").ok() && Cmd.exec("skopeo", "--version").ok(), "skipped: no umoci/skopeo");
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "andock-ci", "sync-images");
        Cmd.exec(List.of("bash", Path.of("../bench/sync/make-images.sh").toAbsolutePath().toString(), cache.toString()),
                Map.of("SYNC_FIXTURES", FIXTURES.toString()), java.time.Duration.ofMinutes(5)).check();
        images = cache.resolve("oci");
        List<String> cmd = new ArrayList<>(Andock.javaCommand());
        cmd.addAll(List.of("--root", tmp.resolve("hub").toString(), "hub", "serve", "--addr", "127.0.0.1:0"));
        hub = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(hub.getInputStream(), StandardCharsets.UTF_8));
        for (String line; host == null && (line = r.readLine()) != null; ) {
            if (line.startsWith("andock hub listening on http://")) host = line.substring(31, line.indexOf(',', 31));
        }
        Thread drain = new Thread(() -> {
            try {
                r.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException ignored) {
                // the hub ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        for (String t : List.of("v1", "v2", "imgP", "imgC")) {
            Cmd.run("skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + images + ":" + t, "docker://" + host + "/team/app:" + t);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (hub != null) {
            hub.destroy();
            hub.waitFor();
        }
    }

    private static long sent() throws Exception {
        String m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + host + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : m.split("\n")) {
            if (line.startsWith("andock_hub_sent_bytes_total ")) return (long) Double.parseDouble(line.substring(28).trim());
        }
        throw new AssertionError("no sent bytes in /metrics");
    }

    private static String inspect(Andock device, String ref) {
        return device.ok("image", "inspect", "--format", "{{.Id}} {{json .RootFS.Layers}}", ref).strip();
    }

    @Test
    void update_sendsOnlyChangedFilesAsDeltas_andGivesThePlainPullsImage() throws Exception {
        Andock device = new Andock(tmp.resolve("device-a"));
        device.ok("pull", host + "/team/app:v1");
        long before = sent();
        String out = device.ok("pull", host + "/team/app:v2");
        long update = sent() - before;
        assertThat(out).contains("Synced").contains("as deltas").doesNotContain("Already exists");
        assertThat(out).as("one copy per content: unchanged files are hard links to v1's").containsPattern("Shared [0-9]{4} files");
        assertThat(update).as("bytes sent for v1 -> v2").isLessThanOrEqualTo(1_900_000);

        Andock plain = new Andock(tmp.resolve("device-plain"), Map.of("ANDOCK_SYNC", "0"));
        before = sent();
        plain.ok("pull", host + "/team/app:v2");
        assertThat(sent() - before).as("a plain pull").isGreaterThan(10_000_000);
        assertThat(inspect(device, host + "/team/app:v2")).isEqualTo(inspect(plain, host + "/team/app:v2"));

        // the files are there: the updated library as the fixture has it
        String want = Cmd.run("sha256sum", images.getParent().resolve("rootfs/v2/usr/lib/x86_64-linux-gnu/libssl.so.3").toString()).substring(0, 64);
        String run = device.ok("run", "--rm", host + "/team/app:v2", "/bin/busybox", "sha256sum", "/usr/lib/x86_64-linux-gnu/libssl.so.3");
        assertThat(run).startsWith(want);
    }

    @Test
    void anUnrootedAndroidApp_syncsTheUpdate_withoutHardLinks() throws Exception {
        Path sim = io.andock.testkit.AndroidSim.runAsApp();
        Assumptions.assumeTrue(Files.isExecutable(sim), "no Android simulator (shared/android-sim): skipped");
        AndroidApp app = new AndroidApp(tmp.resolve("phone"));
        app.ownAll();
        String a = app.command();
        long[] before = {sent()};
        String script = String.join("\n", "export LC_ALL=C.UTF-8", "A=\"" + a + "\"",
                "$A pull " + host + "/team/app:v1 >/dev/null; echo \"v1 rc=$?\"",
                "$A pull " + host + "/team/app:v2; echo \"v2 rc=$?\"");
        Cmd.Result r = Cmd.exec(sim.toString(), "--data", app.data().toString(), "--", "sh", "-c", script);
        assertThat(r.stdout()).as(r.stderr()).contains("v1 rc=0", "v2 rc=0", "Synced").doesNotContain("Shared ");
        assertThat(sent() - before[0]).as("v1 whole, then the update").isLessThanOrEqualTo(12_000_000 + 1_900_000);
    }

    @Test
    void secondImageSharingLibraries_sendsOnlyItsNewFiles() throws Exception {
        Andock device = new Andock(tmp.resolve("device-b"));
        device.ok("pull", host + "/team/app:imgP");
        long before = sent();
        device.ok("pull", host + "/team/app:imgC");
        assertThat(sent() - before).as("bytes sent for imgC on a device holding imgP").isLessThanOrEqualTo(950_000);
    }

    @Test
    void aHubThatLies_isRefused_andNothingIsWritten() throws Exception {
        Andock device = new Andock(tmp.resolve("device-lied-to"));
        device.ok("pull", host + "/team/app:v1");
        Path root = tmp.resolve("device-lied-to");
        List<String> snapshotsBefore = list(root.resolve("snapshots"));
        for (var lie : List.<java.util.function.UnaryOperator<byte[]>>of(LyingHub::wrongContents, LyingHub::dotDotRecipe)) {
            try (LyingHub liar = new LyingHub(host, lie)) {
                Cmd.Result r = device.run("pull", liar.host() + "/team/app:v2");
                assertThat(r.exitCode()).as(r.stdout()).isNotZero();
                // the tar streams into the hardened applier as it is rebuilt: a lie fails the rebuild, or the applier
                // (a ../ header), or the diff_id check, all into the snapshotter's staging directory
                assertThat(r.stderr().strip()).doesNotContain("\n").containsAnyOf("does not match its sha256", "does not decompress",
                        "not the diff_id", "sync pack", "delta:", "tar entry");
                assertThat(device.ok("images", "--format", "{{.Repository}}:{{.Tag}}")).doesNotContain(liar.host());
            }
        }
        assertThat(list(root.resolve("snapshots"))).isEqualTo(snapshotsBefore);
        assertThat(list(root.resolve("snapshots/.tmp"))).as("the staging directories").isEmpty();
        assertThat(list(root.resolve("tmp"))).isEmpty();
    }

    @Test
    void aPackCutHalfway_isResumedWithRange() throws Exception {
        Andock device = new Andock(tmp.resolve("device-cut"));
        device.ok("pull", host + "/team/app:v1");
        try (LyingHub cutting = new LyingHub(host, b -> b)) {
            cutting.cuts.set(1);
            device.ok("pull", cutting.host() + "/team/app:v2");
            assertThat(cutting.ranges).hasSize(2);
            assertThat(cutting.ranges.get(1)).startsWith("bytes=").isNotEqualTo("bytes=0-");
        }
        assertThat(device.ok("images", "--format", "{{.Tag}}")).contains("v2");
    }

    private static List<String> list(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.equals("locks")).sorted().toList();
        }
    }

    @Test
    void plainClients_getTheSameBlobs() throws Exception {
        Path copy = tmp.resolve("skopeo-copy");
        Cmd.run("skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + host + "/team/app:v2", "oci:" + copy + ":v2");
        String pushed = Cmd.run("skopeo", "inspect", "--raw", "oci:" + images + ":v2");
        String pulled = Cmd.run("skopeo", "inspect", "--raw", "oci:" + copy + ":v2");
        assertThat(pulled).isEqualTo(pushed);
        // a registry that is not a hub: discovery fails quietly and the pull is a plain one
        Cmd.Result notHub = new Andock(tmp.resolve("device-c")).run("pull", "127.0.0.1:9/team/app:v2");
        assertThat(notHub.stderr()).doesNotContain("sync");
    }
}
