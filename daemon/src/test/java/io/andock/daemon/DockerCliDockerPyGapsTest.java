package io.andock.daemon;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Details docker-py's integration suite checks where dockerd and andock differed (bench/docker-py), each through
 * the real docker CLI 28.2.2: volume labels, exec's exit code when its command is missing, an image's Parent after
 * commit, {@code --group-add}, an update's CpuShares in inspect, a build's {@code --label} on an empty scratch stage and a RUN step's stderr in the
 * build stream, network names with spaces and {@code --aux-address}.
 */
class DockerCliDockerPyGapsTest {
    static DaemonFixture f;
    static String busybox;

    @BeforeAll
    static void start() throws Exception {
        f = new DaemonFixture();
        busybox = f.image("busybox");
        assertThat(f.run("pull", "-q", busybox).code()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    private static DaemonFixture.Result ok(String... args) throws Exception {
        DaemonFixture.Result r = f.run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.all()).isZero();
        return r;
    }

    @Test
    void volumeCreate_labels_shownByInspect_andKeptByAnExistingVolume() throws Exception {
        ok("volume", "create", "--label", "labelkey=labelvalue", "--label", "b=", "labelled");
        assertThat(ok("volume", "inspect", "-f", "{{json .Labels}}", "labelled").out().strip())
                .isEqualTo("{\"b\":\"\",\"labelkey\":\"labelvalue\"}");
        ok("volume", "create", "--label", "other=x", "labelled"); // an existing volume keeps its own, as Docker
        assertThat(ok("volume", "inspect", "-f", "{{json .Labels}}", "labelled").out()).doesNotContain("other");
        ok("volume", "create", "plain");
        assertThat(ok("volume", "inspect", "-f", "{{json .Labels}}", "plain").out().strip()).isEqualTo("{}");
        ok("volume", "rm", "labelled", "plain");
    }

    @Test
    void exec_ofAMissingCommand_exits126_asDockerdRecordsIt() throws Exception {
        ok("run", "-d", "--name", "execgap", busybox, "sleep", "600");
        try {
            DaemonFixture.Result r = f.run("exec", "execgap", "docker", "ps");
            assertThat(r.code()).as(r.all()).isEqualTo(126);
            assertThat(f.run("exec", "execgap", "sh", "-c", "exit 3").code()).isEqualTo(3);
        } finally {
            f.run("rm", "-f", "execgap");
        }
    }

    @Test
    void commit_parentIsTheContainersImage() throws Exception {
        ok("run", "--name", "parentgap", busybox, "touch", "/test");
        try {
            String image = ok("commit", "parentgap").out().strip();
            String busyboxId = ok("image", "inspect", "-f", "{{.Id}}", busybox).out().strip();
            assertThat(ok("image", "inspect", "-f", "{{.Parent}}", image).out().strip()).isEqualTo(busyboxId);
            assertThat(ok("image", "inspect", "-f", "{{.Parent}}", busybox).out().strip()).as("pulled: none").isEmpty();
            ok("rmi", image);
        } finally {
            f.run("rm", "-f", "parentgap");
        }
    }

    @Test
    void update_ofAFieldNotApplied_warns_andInspectEchoesIt_asCreateDoes() throws Exception {
        ok("create", "--name", "updategap", "--cpu-shares", "2", busybox, "sleep", "600");
        try {
            DaemonFixture.Result r = ok("update", "--cpu-shares", "3", "updategap");
            assertThat(r.all()).contains("CpuShares");
            assertThat(ok("inspect", "-f", "{{.HostConfig.CpuShares}}", "updategap").out().strip()).isEqualTo("3");
        } finally {
            f.run("rm", "-f", "updategap");
        }
    }

    @Test
    void rm_ofAnEndedContainerItsPolicyRestarts_isRefused_untilStopped() throws Exception {
        ok("run", "-d", "--name", "restartgap", "--restart", "always", "--network", "none", busybox, "sleep", "1");
        try {
            assertThat(ok("wait", "restartgap").out().strip()).isEqualTo("0");
            DaemonFixture.Result r = f.run("rm", "restartgap"); // ended, or already restarted: refused either way
            assertThat(r.code()).as(r.all()).isNotZero();
            assertThat(r.err()).contains("stop the container before removing or force remove");
            ok("stop", "restartgap");
            ok("rm", "restartgap");
        } finally {
            f.run("rm", "-f", "restartgap");
        }
    }

    @Test
    void groupAdd_numbersAndNames_areSupplementaryGroups() throws Exception {
        DaemonFixture.Result r = ok("run", "--rm", "--group-add", "1000", "--group-add", "users", busybox, "id", "-G");
        assertThat(r.out().strip().split(" ")).contains("0", "1000", "100");
        ok("create", "--name", "groupgap", "--group-add", "1001", busybox, "true");
        assertThat(ok("inspect", "-f", "{{json .HostConfig.GroupAdd}}", "groupgap").out().strip()).isEqualTo("[\"1001\"]");
        f.run("rm", "-f", "groupgap");
        DaemonFixture.Result unknown = f.run("run", "--rm", "--group-add", "nosuchgroup", busybox, "true");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("unable to find group nosuchgroup");
    }

    @Test
    void build_labelOnEmptyScratch_andRunStderrMarkedRed() throws Exception {
        Path context = Files.createDirectories(f.dir.resolve("gap-context"));
        ProcessBuilder pb = f.docker("build", "--label", "test=OK", "-t", "labels:gap", "-").directory(context.toFile());
        pb.environment().put("DOCKER_BUILDKIT", "0");
        DaemonFixture.Result scratch = DaemonFixture.collect(pb, "FROM scratch\n".getBytes(), 120);
        assertThat(scratch.code()).as(scratch.all()).isZero();
        assertThat(ok("image", "inspect", "-f", "{{json .Config.Labels}}", "labels:gap").out().strip()).isEqualTo("{\"test\":\"OK\"}");
        ok("rmi", "labels:gap");

        Path df = Files.writeString(context.resolve("Dockerfile"),
                "FROM " + busybox + "\nRUN sh -c \">&2 echo 'Ancient Temple'; echo to-stdout\"\n");
        ProcessBuilder run = f.docker("build", "--no-cache", "-q=false", ".").directory(context.toFile());
        run.environment().put("DOCKER_BUILDKIT", "0");
        DaemonFixture.Result r = DaemonFixture.collect(run, null, 300);
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("\u001b[91mAncient Temple\n\u001b[0m").contains("to-stdout\n")
                .doesNotContain("\u001b[91mto-stdout");
        Files.delete(df);
    }

    @Test
    void network_nameWithSpaces_andAuxAddresses() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
                "bridge networks need root and the CNI plugins");
        ok("network", "create", "test 01");
        assertThat(ok("network", "inspect", "-f", "{{.Name}}", "test 01").out().strip()).isEqualTo("test 01");
        ok("network", "rm", "test 01");
        DaemonFixture.Result bad = f.run("network", "create", " leading");
        assertThat(bad.code()).isNotZero();

        ok("network", "create", "--subnet", "10.124.0.0/24", "--ip-range", "10.124.0.0/30", "--gateway", "10.124.0.254",
                "--aux-address", "a=10.124.0.2", "auxnet");
        try {
            assertThat(ok("network", "inspect", "-f", "{{json (index .IPAM.Config 0).AuxiliaryAddresses}}", "auxnet").out().strip())
                    .isEqualTo("{\"a\":\"10.124.0.2\"}");
            // the range holds .1 and .2; .2 is kept, so a container gets .1 and a second finds no address
            ok("run", "-d", "--name", "aux1", "--network", "auxnet", busybox, "sleep", "600");
            assertThat(ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"auxnet\").IPAddress}}", "aux1").out().strip())
                    .isEqualTo("10.124.0.1");
            DaemonFixture.Result full = f.run("run", "--rm", "--network", "auxnet", busybox, "true");
            assertThat(full.code()).as(full.all()).isNotZero();
            DaemonFixture.Result outside = f.run("network", "create", "--subnet", "10.125.0.0/24", "--aux-address", "a=10.9.9.9", "auxbad");
            assertThat(outside.code()).isNotZero();
        } finally {
            f.run("rm", "-f", "aux1");
            f.run("network", "rm", "auxnet");
        }
    }
}
