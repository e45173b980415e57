package io.andock.hub;

import io.andock.testkit.Cmd;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OCI distribution-spec conformance suite (built by .ci/go-tools) against the hub, OCI_VERSION=1.1 with every
 * OCI_API_* and OCI_DATA_* on: every test passes, none is skipped. Sparse manifests (missing layers and index
 * children) are accepted only with {@code sparse-manifests}: the default hub refuses them (MANIFEST_BLOB_UNKNOWN),
 * so it runs with OCI_DATA_SPARSE off.
 */
@Tag("registry")
class ConformanceTest {

    static Map<String, String> env(String host, boolean sparse, Path results) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("OCI_REGISTRY", host);
        e.put("OCI_TLS", "disabled");
        e.put("OCI_VERSION", "1.1");
        e.put("OCI_REPO1", "conformance/repo1");
        e.put("OCI_REPO2", "conformance/repo2");
        e.put("OCI_RESULTS_DIR", results.toString());
        e.put("OCI_CONFIGURATION", results.resolve("none.yaml").toString());
        for (String api : List.of("PULL", "PUSH", "BLOBS_ATOMIC", "BLOBS_DELETE", "BLOBS_DIGEST_HEADER", "BLOBS_MOUNT_ANONYMOUS",
                "BLOBS_UPLOAD_CANCEL", "MANIFESTS_ATOMIC", "MANIFESTS_DELETE", "MANIFESTS_DIGEST_HEADER", "MANIFESTS_TAG_PARAM",
                "TAGS_ATOMIC", "TAGS_DELETE", "TAGS_LIST", "REFERRER")) {
            e.put("OCI_API_" + api, "true");
        }
        for (String data : List.of("IMAGE", "INDEX", "INDEX_LIST", "SPARSE", "ARTIFACT", "SUBJECT", "SUBJECT_MISSING",
                "ARTIFACT_LIST", "SUBJECT_LIST", "DATA_FIELD", "NONDISTRIBUTABLE", "CUSTOM_FIELDS", "NO_LAYERS", "EMPTY_BLOB", "SHA512")) {
            e.put("OCI_DATA_" + data, "true");
        }
        if (!sparse) e.put("OCI_DATA_SPARSE", "false");
        return e;
    }

    /** Runs the suite; returns its counts (Pass, Skip, FAIL, Error, Disabled, Total). */
    static Map<String, Integer> run(String host, boolean sparse) throws Exception {
        Path bin = HubFixture.tool(HubFixture.CONFORMANCE);
        Path results = Files.createTempDirectory("andock-conformance");
        Files.writeString(results.resolve("none.yaml"), "{}\n"); // no yaml settings: the environment says everything
        List<String> cmd = new ArrayList<>(List.of(bin.toString()));
        Cmd.Result r = Cmd.exec(cmd, env(host, sparse, results), Duration.ofMinutes(10));
        String out = r.stdout();
        Map<String, Integer> counts = new LinkedHashMap<>();
        int at = out.indexOf("OCI Conformance Result");
        Matcher m = Pattern.compile("^\\s+(\\w+)\\.+:\\s+(\\d+)$", Pattern.MULTILINE).matcher(at < 0 ? "" : out.substring(at));
        while (m.find()) counts.put(m.group(1), Integer.parseInt(m.group(2)));
        assertThat(counts).as("conformance output:\n%s\n%s", tail(out), r.stderr()).containsKeys("Pass", "FAIL", "Total");
        assertThat(counts.get("FAIL")).as(failures(out)).isZero();
        assertThat(counts.getOrDefault("Error", 0)).as(failures(out)).isZero();
        assertThat(counts.getOrDefault("Skip", 0)).as(failures(out)).isZero();
        assertThat(counts.get("Pass")).isEqualTo(counts.get("Total") - counts.getOrDefault("Disabled", 0));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return counts;
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    private static String failures(String out) {
        StringBuilder b = new StringBuilder();
        for (String line : out.split("\n")) if (line.contains(": Fail") || line.contains(": Skip") || line.contains(": Error")) b.append(line).append('\n');
        return b.toString();
    }

    @Test
    void everyTestPassesWithSparseManifestsAccepted() throws Exception {
        try (HubFixture h = HubFixture.start(c -> c.withSparse(true))) {
            Map<String, Integer> counts = run(h.host(), true);
            assertThat(counts.get("Total")).isGreaterThan(1000);
            System.out.println("conformance (sparse-manifests on, every OCI_API_* and OCI_DATA_*): " + counts);
        }
    }

    @Test
    void everyTestPassesOnTheDefaultHubWithoutSparseData() throws Exception {
        try (HubFixture h = HubFixture.start()) {
            Map<String, Integer> counts = run(h.host(), false);
            System.out.println("conformance (default hub, OCI_DATA_SPARSE off): " + counts);
        }
    }
}
